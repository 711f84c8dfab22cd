import { Role } from '../../common/transaction/actor';

/**
 * A doctor belongs to exactly one clinic (rule 11 scopes everything they see by it); CPC staff belong to
 * none. Returns what is wrong with the pair, or null. The database holds the same rule as a CHECK.
 */
export function doctorClinicProblem(role: Role, clinicId: string | null): string | null {
  if (role === 'doctor' && clinicId === null) return 'clinicId is required for a doctor';
  if (role !== 'doctor' && clinicId !== null)
    return `clinicId must be empty (null) for the ${role} role; only doctors belong to a clinic`;
  return null;
}
