import TestAgent from 'supertest/lib/agent';
import { Role } from '../../src/common/transaction/actor';
import { login, loginAsAdmin, unique } from './test-app';

export interface Person {
  id: string;
  email: string;
  name: string;
  role: Role;
  clinicId: string | null;
  password: string;
  token: string;
}

export interface Clinic {
  id: string;
  code: string;
  name: string;
}

/** A clinic, created by the bootstrap admin through the API. */
export async function aClinic(http: TestAgent): Promise<Clinic> {
  const admin = await loginAsAdmin(http);
  const code = unique('C').slice(0, 16);
  const response = await http
    .post('/api/v1/clinics')
    .set('Authorization', `Bearer ${admin}`)
    .send({ code, name: `Clinic ${code}` });
  if (response.status !== 201) throw new Error(`clinic: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Clinic;
}

/** A user of the given role (a doctor needs a clinic), signed in. */
export async function aPerson(http: TestAgent, role: Role, clinic?: Clinic): Promise<Person> {
  const admin = await loginAsAdmin(http);
  const email = `${role}-${unique().toLowerCase()}@cpc.test`;
  const password = `pw-${unique().toLowerCase()}-long`;
  const name = `${role[0].toUpperCase()}${role.slice(1)} ${unique().slice(-5)}`;
  const response = await http
    .post('/api/v1/users')
    .set('Authorization', `Bearer ${admin}`)
    .send({
      email,
      name,
      role,
      password,
      ...(role === 'doctor' ? { clinicId: (clinic ?? (await aClinic(http))).id } : {}),
    });
  if (response.status !== 201) throw new Error(`user: ${response.status} ${JSON.stringify(response.body)}`);
  const user = response.body as { id: string; clinicId: string | null };
  return {
    id: user.id,
    email,
    name,
    role,
    clinicId: user.clinicId,
    password,
    token: await login(http, email, password),
  };
}

/** The cast of one journey: a clinic with its doctor, two technicians, and a QA manager. */
export interface Cast {
  clinic: Clinic;
  doctor: Person;
  technician: Person;
  technician2: Person;
  qa: Person;
  admin: string;
}

export async function aCast(http: TestAgent): Promise<Cast> {
  const clinic = await aClinic(http);
  const [doctor, technician, technician2, qa] = await Promise.all([
    aPerson(http, 'doctor', clinic),
    aPerson(http, 'technician'),
    aPerson(http, 'technician'),
    aPerson(http, 'qa'),
  ]);
  return { clinic, doctor, technician, technician2, qa, admin: await loginAsAdmin(http) };
}

export const bearer = (who: { token: string } | string): [string, string] => [
  'Authorization',
  `Bearer ${typeof who === 'string' ? who : who.token}`,
];
