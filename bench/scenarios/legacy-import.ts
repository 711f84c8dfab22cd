import { Client } from 'pg';
import { queryRows } from '../lib/database';
import { Figure, round } from '../lib/report';
import { judged, ScenarioContext } from './context';

const TARGET_SECONDS = 60;
const VIALS_PER_DONOR = 10;
/** 20 x 20 boxes: 400 vials each. */
const BOX_SIDE = 20;

/**
 * docs/operations.md: 100,000 legacy vials imported in under 60 s. A bank inventory file of 100,000 lines
 * (10,000 donors of one generated clinic, a DIN and ten vials each, in 250 boxes of a new tank) is posted for a
 * real run; the figure is the wall time from the POST to `GET /imports/:id` saying COMPLETED (every line
 * checked, donors, LEGACY batches, freezings, vials, their history, storage reviews and audit entries).
 * The baseline, in the same run: the same 100,000 lines stored as rows by one bare INSERT in PostgreSQL (no
 * check, no index but the key), the floor of what storing them can cost.
 */
export async function measureLegacyImport(context: ScenarioContext): Promise<Figure> {
  context.rss.enter('legacy import');
  const vials = importSize(context);
  const boxIds = await boxesFor(context, Math.ceil(vials / (BOX_SIDE * BOX_SIDE)));
  const [clinic] = await queryRows<{ code: string }>(
    context.databaseUrl,
    'SELECT code FROM clinics ORDER BY code LIMIT 1',
  );
  const file = inventoryFile(vials, clinic.code, boxIds);

  const baselineMs = await bareInsertMs(context.databaseUrl, file);
  const started = performance.now();
  const response = await fetch(`${context.api.baseUrl}/api/v1/imports/bank-inventory?dryRun=false`, {
    method: 'POST',
    headers: { authorization: `Bearer ${context.tokens.admin}`, 'content-type': 'text/csv' },
    body: file,
  });
  const { importId } = (await response.json()) as { importId: string };
  if (response.status !== 202) throw new Error(`import: ${response.status}`);
  let view: { state: string; created: number; errors: unknown[] };
  for (;;) {
    view = (
      await context.api.expect<typeof view>(200, 'GET', `/api/v1/imports/${importId}`, {
        token: context.tokens.admin,
      })
    ).body;
    if (view.state === 'COMPLETED' || view.state === 'FAILED') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const totalMs = performance.now() - started;
  if (view.state !== 'COMPLETED' || view.created !== vials)
    throw new Error(
      `import ${view.state}: ${view.created} of ${vials} created, ${view.errors.length} errors`,
    );
  return {
    scenario: `Import ${vials.toLocaleString('en')} legacy vials (CSV, a job)`,
    measured: `${round(totalMs / 1000)} s (${round(vials / (totalMs / 1000))} vials/s); bare INSERT of the rows ${round(baselineMs)} ms, ratio ${round(totalMs / baselineMs)}x`,
    target: `< ${TARGET_SECONDS} s`,
    value: totalMs / 1000,
    unit: 's',
    pass: judged(context, totalMs < TARGET_SECONDS * 1000),
    details: { totalMs, baselineMs, bytes: Buffer.byteLength(file) },
  };
}

/**
 * 100,000 in a full run, 2,000 in a quick one; BENCH_IMPORT_VIALS sets it, so that the full-size import can be
 * measured on the quick data (`BENCH_IMPORT_VIALS=100000 npm run bench -- --quick --only=legacy`): the import
 * reads little of what is already banked, and a full data load is ten minutes.
 */
function importSize(context: ScenarioContext): number {
  const asked = process.env.BENCH_IMPORT_VIALS;
  if (asked === undefined || asked === '') return context.config.quick ? 2_000 : 100_000;
  const vials = Number(asked);
  if (!Number.isSafeInteger(vials) || vials < 1 || vials > 1_000_000)
    throw new Error(`BENCH_IMPORT_VIALS must be a whole number from 1 to 1,000,000, got ${asked}`);
  return vials;
}

/** A tank, a rack and `count` boxes of 20 x 20 through the API. */
async function boxesFor(context: ScenarioContext, count: number): Promise<string[]> {
  const token = context.tokens.admin;
  const post = async (body: Record<string, unknown>): Promise<string> =>
    (await context.api.expect<{ id: string }>(201, 'POST', '/api/v1/storage-units', { token, body })).body.id;
  const suffix = Date.now().toString(36);
  const tank = await post({ kind: 'TANK', name: `Legacy tank ${suffix}`, biohazard: false });
  const rack = await post({ kind: 'RACK', name: 'Legacy rack', parentId: tank });
  const boxes: string[] = [];
  for (let i = 0; i < count; i++)
    boxes.push(
      await post({ kind: 'BOX', name: `Legacy box ${i}`, parentId: rack, rows: BOX_SIDE, cols: BOX_SIDE }),
    );
  return boxes;
}

function inventoryFile(vials: number, clinicCode: string, boxIds: readonly string[]): string {
  const lines = ['clinicCode,externalRef,birthYear,sex,din,vialLabel,frozenAt,cells,boxId,row,col'];
  const perBox = BOX_SIDE * BOX_SIDE;
  for (let n = 0; n < vials; n++) {
    const donor = Math.floor(n / VIALS_PER_DONOR);
    const din = `B123415${String(donor).padStart(6, '0')}`;
    const within = n % perBox;
    lines.push(
      [
        clinicCode,
        `LEGACY-${donor}`,
        1940 + (donor % 60),
        donor % 2 ? 'F' : 'M',
        din,
        `${din}-V${String((n % VIALS_PER_DONOR) + 1).padStart(3, '0')}`,
        `2015-0${1 + (donor % 9)}-15T10:00:00+09:00`,
        5_000_000 + (n % 7) * 1_000_000,
        boxIds[Math.floor(n / perBox)],
        Math.floor(within / BOX_SIDE) + 1,
        (within % BOX_SIDE) + 1,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The file's lines stored by one INSERT into a temporary table: what storing the bytes costs at the least. */
async function bareInsertMs(databaseUrl: string, file: string): Promise<number> {
  const rows = file
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TEMP TABLE bare_vials (clinic text, ref text, birth int, sex text, din text,
      label text PRIMARY KEY, frozen timestamptz, cells bigint, box uuid, r int, c int)`);
    const started = performance.now();
    await client.query(
      `INSERT INTO bare_vials SELECT * FROM json_populate_recordset(NULL::bare_vials, $1::json)`,
      [
        JSON.stringify(
          rows.map(([clinic, ref, birth, sex, din, label, frozen, cells, box, r, c]) => ({
            clinic,
            ref,
            birth: Number(birth),
            sex,
            din,
            label,
            frozen,
            cells: Number(cells),
            box,
            r: Number(r),
            c: Number(c),
          })),
        ),
      ],
    );
    return performance.now() - started;
  } finally {
    await client.end();
  }
}
