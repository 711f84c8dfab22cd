import { canSeeClinic } from '../../auth/clinic-scope';
import { notFound } from '../errors/domain-error';
import { AuthUser } from '../transaction/auth-user';

/** What a scoped record needs: the clinic it belongs to (its donor's), null for facility-wide records. */
export interface ClinicScoped {
  clinicId: string | null;
}

/**
 * "Find it, in the caller's clinic scope, or 404" in one call (docs/architecture.md, "Scoped look-up"; rule 11
 * in docs/domain.md): a missing record and another clinic's record are the same 404, so nothing is revealed.
 * Pass the repository's look-up (a plain read, or a row lock inside a command):
 *
 *   const dose = await getInScopeOrThrow(user, 'Dose', doseId, this.doses.lockById(doseId, tx.manager));
 */
export async function getInScopeOrThrow<T extends ClinicScoped>(
  user: AuthUser,
  what: string,
  id: string,
  lookUp: Promise<T | null>,
): Promise<T> {
  const found = await lookUp;
  if (!found || !canSeeClinic(user, found.clinicId)) throw notFound(what, id);
  return found;
}
