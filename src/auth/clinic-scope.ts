import { AuthUser } from '../common/transaction/auth-user';

/**
 * Clinic scoping (rule 11): a doctor sees only records whose donor belongs to their clinic, and other
 * clinics' records do not exist for them. Repositories filter lists with {@link clinicFilter}; services check
 * single records with `getInScopeOrThrow` (src/common/scope/get-in-scope.ts), which answers 404, never 403,
 * so nothing is revealed.
 */
export function clinicFilter(user: AuthUser): string | null {
  return user.role === 'doctor' ? user.clinicId : null;
}

export function canSeeClinic(user: AuthUser, clinicId: string | null): boolean {
  return user.role !== 'doctor' || (clinicId !== null && clinicId === user.clinicId);
}
