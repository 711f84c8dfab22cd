import { notFound } from '../common/errors/domain-error';
import { AuthUser } from '../common/transaction/auth-user';

/**
 * Clinic scoping (rule 11): a doctor sees only records whose donor belongs to their clinic, and other
 * clinics' records do not exist for them. Repositories filter lists with {@link clinicFilter}; services check
 * single records with {@link assertClinicVisible}, which answers 404, never 403, so nothing is revealed.
 */
export function clinicFilter(user: AuthUser): string | null {
  return user.role === 'doctor' ? user.clinicId : null;
}

export function canSeeClinic(user: AuthUser, clinicId: string | null): boolean {
  return user.role !== 'doctor' || (clinicId !== null && clinicId === user.clinicId);
}

export function assertClinicVisible(
  user: AuthUser,
  clinicId: string | null,
  entity: string,
  id?: string,
): void {
  if (!canSeeClinic(user, clinicId)) throw notFound(entity, id);
}
