/** `monitor` is a service account of a temperature-monitoring system: it may post readings and nothing else. */
export type Role = 'admin' | 'qa' | 'technician' | 'doctor' | 'monitor';
export const ROLES: readonly Role[] = ['admin', 'qa', 'technician', 'doctor', 'monitor'];

/** Who is acting: a signed-in user, or the system itself (bootstrap, jobs). */
export interface Actor {
  id: string | null;
  role: Role | 'system';
  clinicId: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', clinicId: null };

/** The acting user's id, for records that name a person (created_by): the system itself cannot make them. */
export function userIdOf(actor: Actor): string {
  if (actor.id === null) throw new Error('this record must name the user who made it, not the system');
  return actor.id;
}
