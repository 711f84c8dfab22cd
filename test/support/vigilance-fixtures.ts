import TestAgent from 'supertest/lib/agent';
import { bearer, Cast, Person } from './people';
import { aDose, DoseRef } from './release-fixtures';

const DAY = 24 * 3600 * 1000;

export const daysAgo = (days: number, base = Date.now()): string => new Date(base - days * DAY).toISOString();

function expectStatus(what: string, response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** A dose of the batch (a million cells, optionally with material lots) taken to the clinic and given. */
export async function anAdministeredDose(
  http: TestAgent,
  cast: Cast,
  batch: { id: string; donorCode: string },
  options: { materialLotIds?: string[] } = {},
): Promise<DoseRef> {
  const dose = await aDose(http, cast, batch.id, { cells: 1_000_000, ...options });
  const now = (): string => new Date().toISOString();
  const step = (path: string, who: Person, body: Record<string, unknown>) =>
    http
      .post(`/api/v1/doses/${dose.id}/${path}`)
      .set(...bearer(who))
      .send(body);
  expectStatus('dispatch', await step('dispatch', cast.technician, { dispatchedAt: now() }), 200);
  expectStatus(
    'receipt',
    await step('receipt', cast.doctor, { receivedAt: now(), temperatureC: 5, intact: true }),
    200,
  );
  const given = await step('administration', cast.doctor, {
    administeredAt: now(),
    site: 'LEFT_KNEE',
    patientCode: batch.donorCode,
    doseLabel: dose.label,
  });
  expectStatus('administration', given, 200);
  return given.body as DoseRef;
}

export interface AdverseEventView {
  id: string;
  status: string;
  donorId: string;
  clinicId: string;
  doseId: string | null;
  batchId: string | null;
  seriousness: string;
  knownAt: string;
  reportDueAt: string | null;
  overdue: boolean;
  report: { late: boolean; reference: string } | null;
  closure: { causality: string } | null;
}

/** POST /adverse-events as `who` (no status check): the raw answer. */
export function recordAdverseEvent(
  http: TestAgent,
  who: Person,
  body: Record<string, unknown>,
): Promise<{ status: number; body: AdverseEventView & { code?: string } }> {
  return http
    .post('/api/v1/adverse-events')
    .set(...bearer(who))
    .send({
      // An hour before the clinic learned of it, unless the test says when it began.
      onsetAt: typeof body.knownAt === 'string' ? daysAgo(1 / 24, Date.parse(body.knownAt)) : daysAgo(1),
      description: 'Fever and swelling of the treated knee',
      ...body,
    })
    .then((response) => ({ status: response.status, body: response.body }));
}

/** Records the event and insists on 201. */
export async function anAdverseEvent(
  http: TestAgent,
  who: Person,
  body: Record<string, unknown>,
): Promise<AdverseEventView> {
  const response = await recordAdverseEvent(http, who, body);
  expectStatus('adverse event', response, 201);
  return response.body;
}
