import { Actor, Role } from './actor';

/** The signed-in user as the guards leave it on the request. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  clinicId: string | null;
}

export function actorOf(user: AuthUser): Actor {
  return { id: user.id, role: user.role, clinicId: user.clinicId };
}
