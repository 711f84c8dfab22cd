export type Role = 'admin' | 'qa' | 'technician' | 'doctor';
export const ROLES: readonly Role[] = ['admin', 'qa', 'technician', 'doctor'];

/** Who is acting: a signed-in user, or the system itself (bootstrap, jobs). */
export interface Actor {
  id: string | null;
  role: Role | 'system';
  clinicId: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', clinicId: null };
