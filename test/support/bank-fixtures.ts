import TestAgent from 'supertest/lib/agent';
import { aCultureCompleteBatch, BatchRef, CultureCompleteOptions } from './batch-fixtures';
import { bearer, Cast, Person } from './people';
import { aReleasedBatch, ReleasedBatch } from './release-fixtures';
import { unique } from './test-app';

export interface UnitRef {
  id: string;
  name: string;
  kind: string;
  rootKind: string;
  biohazard: boolean;
  rows: number | null;
  cols: number | null;
  path: string;
}

export interface VialRef {
  id: string;
  label: string;
  boxId: string;
  row: number;
  col: number;
  status: string;
  nextReviewAt: string;
  cells: number;
}

export interface Placement {
  cells?: number;
  boxId: string;
  row: number;
  col: number;
}

function expectStatus(what: string, response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** POSTs a storage unit as the admin and insists on 201. */
export async function aStorageUnit(
  http: TestAgent,
  admin: string,
  body: { kind: string; parentId?: string; rows?: number; cols?: number; biohazard?: boolean; name?: string },
): Promise<UnitRef> {
  const response = await http
    .post('/api/v1/storage-units')
    .set(...bearer(admin))
    .send({ name: body.name ?? unique(`${body.kind} `), ...body });
  expectStatus(`storage unit ${body.kind}`, response, 201);
  return response.body as UnitRef;
}

/**
 * A tank (or with `root: 'FREEZER'` a -80 C freezer) holding a rack holding a box of rows x cols (9 x 9 unless
 * said otherwise); biohazard class as asked (false by default).
 */
export async function aBox(
  http: TestAgent,
  admin: string,
  options: { biohazard?: boolean; root?: 'TANK' | 'FREEZER'; rows?: number; cols?: number } = {},
): Promise<{ root: UnitRef; rack: UnitRef; box: UnitRef }> {
  const root = await aStorageUnit(http, admin, {
    kind: options.root ?? 'TANK',
    biohazard: options.biohazard ?? false,
  });
  const rack = await aStorageUnit(http, admin, { kind: 'RACK', parentId: root.id });
  const box = await aStorageUnit(http, admin, {
    kind: 'BOX',
    parentId: rack.id,
    rows: options.rows ?? 9,
    cols: options.cols ?? 9,
  });
  return { root, rack, box };
}

/** The first `count` positions of a box, row by row. */
export function positionsIn(
  box: { id: string; cols: number | null },
  count: number,
  cells = 5_000_000,
): Placement[] {
  const cols = box.cols ?? 1;
  return Array.from({ length: count }, (_, i) => ({
    boxId: box.id,
    row: Math.floor(i / cols) + 1,
    col: (i % cols) + 1,
    cells,
  }));
}

/** POST /batches/:id/cryopreserve as `who` (no status check): the raw answer. */
export async function cryopreserve(
  http: TestAgent,
  who: Person,
  batchId: string,
  vials: Placement[],
  extra: Record<string, unknown> = {},
): Promise<{
  status: number;
  body: Record<string, unknown> & { vials: VialRef[]; code?: string; details?: Record<string, unknown> };
}> {
  const response = await http
    .post(`/api/v1/batches/${batchId}/cryopreserve`)
    .set(...bearer(who))
    .send({
      frozenAt: new Date().toISOString(),
      medium: 'CryoStor CS10',
      dmsoPct: 10,
      vials: vials.map((v) => ({ cells: v.cells ?? 5_000_000, boxId: v.boxId, row: v.row, col: v.col })),
      ...extra,
    });
  return { status: response.status, body: response.body };
}

/** Freezes vials and insists on 201; the stored vials. */
export async function frozenVials(
  http: TestAgent,
  who: Person,
  batchId: string,
  vials: Placement[],
): Promise<VialRef[]> {
  const response = await cryopreserve(http, who, batchId, vials);
  expectStatus('cryopreserve', response, 201);
  return response.body.vials;
}

export interface BankedBatch {
  batch: BatchRef | ReleasedBatch;
  box: UnitRef;
  vials: VialRef[];
}

/**
 * A batch of a new donor of the cast's clinic, released (default) or only culture-complete, with `vials` vials of
 * 5e6 viable cells frozen by cast.technician into a fresh box of a tank of the batch's biohazard class.
 */
export async function aBankedBatch(
  http: TestAgent,
  cast: Cast,
  options: { released?: boolean; vials?: number } & CultureCompleteOptions = {},
): Promise<BankedBatch> {
  const released = options.released ?? true;
  const batch = released
    ? await aReleasedBatch(http, cast)
    : await aCultureCompleteBatch(http, cast, options);
  const { box } = await aBox(http, cast.admin, { biohazard: options.reactive ?? false });
  const vials = await frozenVials(http, cast.technician, batch.id, positionsIn(box, options.vials ?? 3));
  return { batch, box, vials };
}

/** POST /boosters as the cast's doctor, insisting on 201. */
export async function aBooster(
  http: TestAgent,
  doctor: Person,
  donorId: string,
  vialIds: string[],
): Promise<{ id: string; status: string; batchId: string }> {
  const response = await http
    .post('/api/v1/boosters')
    .set(...bearer(doctor))
    .send({ donorId, vialIds });
  expectStatus('booster', response, 201);
  return response.body as { id: string; status: string; batchId: string };
}

/** POST /vials/:id/thaw by `thawer`, witnessed by `witness` with their own password (no status check). */
export async function thaw(
  http: TestAgent,
  thawer: Person,
  vialId: string,
  witness: { email: string; password: string },
  options: { postThawViabilityPct?: number; thawedAt?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> & { code?: string } }> {
  const response = await http
    .post(`/api/v1/vials/${vialId}/thaw`)
    .set(...bearer(thawer))
    .send({
      thawedAt: options.thawedAt ?? new Date().toISOString(),
      postThawViabilityPct: options.postThawViabilityPct ?? 88,
      witnessEmail: witness.email,
      witnessPassword: witness.password,
    });
  return { status: response.status, body: response.body };
}

/** Reserves the vials for a booster and thaws each (cast.technician, witnessed by cast.technician2). */
export async function aThawedBooster(
  http: TestAgent,
  cast: Cast,
  banked: BankedBatch,
  options: { postThawViabilityPct?: number; vials?: number } = {},
): Promise<{ id: string }> {
  const vials = banked.vials.slice(0, options.vials ?? banked.vials.length);
  const booster = await aBooster(
    http,
    cast.doctor,
    banked.batch.donorId,
    vials.map((v) => v.id),
  );
  for (const vial of vials) {
    const response = await thaw(http, cast.technician, vial.id, cast.technician2, options);
    expectStatus('thaw', response, 200);
  }
  return booster;
}

/** The live vials per position: more than one is a broken rule 6. */
export const DOUBLE_OCCUPANCY_SQL = `SELECT box_id, pos_row, pos_col, count(*)::int AS n FROM vials
  WHERE status IN ('STORED', 'RESERVED') GROUP BY box_id, pos_row, pos_col HAVING count(*) > 1`;
