import { randomUUID } from 'node:crypto';
import { addCalendarMonths, scheduleInProgress } from '../../src/bank/domain/review-schedule';
import { dinCheckCharacter } from '../../src/batches/domain/din';
import { IMPORT_LINE_CODES } from '../../src/imports/domain/import-line-code';
import { aBox, UnitRef } from '../support/bank-fixtures';
import { aJobsApp, flagRowsOf, flagWithin, JobsTestApp, testJobSettings } from '../support/flag-fixtures';
import {
  aLegacyDin,
  finishedImport,
  InventoryLine,
  inventoryFile,
  postInventory,
} from '../support/import-fixtures';
import { aClinic, aPerson, bearer, Clinic } from '../support/people';
import { loginAsAdmin, unique } from '../support/test-app';

/**
 * docs/imports.md: a legacy bank's inventory, checked by a dry run that stores nothing, imported as a job that
 * reports every bad line, skips what is imported already, and bank LEGACY batches' vials.
 */
describe('legacy bank inventory import', () => {
  let t: JobsTestApp;
  let admin: string;
  let clinic: Clinic;
  let box: UnitRef;

  beforeAll(async () => {
    t = await aJobsApp({ jobs: testJobSettings(), importChunkLines: 3 });
    admin = await loginAsAdmin(t.http);
    clinic = await aClinic(t.http);
    ({ box } = await aBox(t.http, admin));
  });

  afterAll(async () => {
    await t.dispose();
  });

  function line(
    overrides: Partial<InventoryLine> & { din: string; vialLabel: string; row: string; col: string },
  ): InventoryLine {
    return {
      clinicCode: clinic.code,
      externalRef: 'LEGACY-0001',
      birthYear: '1961',
      sex: 'F',
      frozenAt: '2019-05-01T10:00:00+09:00',
      cells: '5000000',
      boxId: box.id,
      ...overrides,
    };
  }

  async function counts(): Promise<Record<string, number>> {
    const { rows } = await t.sql.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM donors) AS donors, (SELECT count(*)::int FROM batches) AS batches,
              (SELECT count(*)::int FROM vials) AS vials, (SELECT count(*)::int FROM imports) AS imports,
              (SELECT count(*)::int FROM cryopreservations) AS freezings,
              (SELECT count(*)::int FROM storage_reviews) AS reviews,
              (SELECT count(*)::int FROM audit_entries) AS audit`,
    );
    return rows[0];
  }

  /** A file with three good lines, six bad ones and a last good one, and what must be said of each bad one. */
  function mixedFile(): { file: string; dins: [string, string]; refs: [string, string]; errors: unknown[] } {
    const [din1, din2, din3] = [aLegacyDin(), aLegacyDin(), aLegacyDin()];
    const [ref1, ref2] = [unique('R-'), unique('R-')];
    const file = inventoryFile([
      line({ externalRef: ref1, din: din1, vialLabel: `${din1}-V001`, row: '1', col: '1' }),
      line({ externalRef: ref1, din: din1, vialLabel: `${din1}-V002`, row: '1', col: '2' }),
      line({
        externalRef: ref2,
        din: din2,
        vialLabel: `${din2}-V001`,
        row: '1',
        col: '3',
        birthYear: '1970',
        sex: 'M',
      }),
      line({ externalRef: ref2, din: din2, vialLabel: `${din2}-V002`, row: '1', col: '4', sex: 'Q' }),
      line({ clinicCode: 'NOPE-99', din: din3, vialLabel: `${din3}-V001`, row: '1', col: '5' }),
      line({
        externalRef: ref2,
        din: din2,
        vialLabel: `${din2}-V004`,
        row: '1',
        col: '6',
        birthYear: '1970',
        sex: 'M',
        boxId: randomUUID(),
      }),
      line({
        externalRef: ref2,
        din: din2,
        vialLabel: `${din2}-V005`,
        row: '10',
        col: '1',
        birthYear: '1970',
        sex: 'M',
      }),
      line({ externalRef: ref1, din: din1, vialLabel: `${din1}-V001`, row: '2', col: '1' }),
      `${clinic.code},${ref1},1961,F,${din1}`,
      line({
        externalRef: ref2,
        din: din2,
        vialLabel: `${din2}-V006`,
        row: '1',
        col: '7',
        birthYear: '1970',
        sex: 'M',
      }),
    ]);
    const errors = [
      { line: 5, code: 'INVALID_VALUE', field: 'sex', message: 'must be F, M or X' },
      { line: 6, code: 'CLINIC_UNKNOWN', field: 'clinicCode', message: 'no clinic has the code NOPE-99' },
      { line: 7, code: 'BOX_UNKNOWN', field: 'boxId', message: 'no such box' },
      {
        line: 8,
        code: 'POSITION_OUTSIDE_BOX',
        field: 'row',
        message: expect.stringContaining('outside the box'),
      },
      { line: 9, code: 'VIAL_REPEATED', field: 'vialLabel', message: 'the same vial is on line 2' },
      { line: 10, code: 'FIELD_COUNT', field: null, message: 'expected 11 fields, found 5' },
    ];
    return { file, dins: [din1, din2], refs: [ref1, ref2], errors };
  }

  it('dry run: reports every bad line with its number and field, and stores nothing', async () => {
    const { file, errors } = mixedFile();
    const before = await counts();
    const response = await postInventory(t.http, admin, file, true);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ rows: 10, errors });
    expect(await counts()).toEqual(before);
  });

  it('dry run: a wrong header is reported on line 1; the real run refuses it (400) and stores nothing', async () => {
    const file = 'clinicCode,externalRef,notes\nA,B,C\n';
    const before = await counts();
    const dry = await postInventory(t.http, admin, file, true);
    expect(dry.status).toBe(200);
    expect(dry.body.rows).toBe(0);
    expect(dry.body.errors).toEqual(
      expect.arrayContaining([
        { line: 1, code: 'UNKNOWN_COLUMN', field: null, message: 'unknown column "notes"' },
        { line: 1, code: 'MISSING_COLUMN', field: 'din', message: 'column missing from the header' },
      ]),
    );
    const real = await postInventory(t.http, admin, file, false);
    expect(real.status).toBe(400);
    expect(real.body.code).toBe('VALIDATION_FAILED');
    expect(await counts()).toEqual(before);
  });

  it('a DIN is checked by its check character: a mistyped one is refused with its code, and nothing stored', async () => {
    const din = aLegacyDin();
    const check = dinCheckCharacter(din);
    const wrong = check === 'A' ? 'B' : 'A';
    // The last digit mistyped but the check character of the DIN meant: the check catches it.
    const typo = `${din.slice(0, 12)}${(Number(din[12]) + 1) % 10}`;
    const ref = unique('R-');
    const file = inventoryFile([
      line({ externalRef: ref, din: `${din}${check}`, vialLabel: `${din}-V001`, row: '7', col: '1' }),
      line({ externalRef: ref, din: `${din}${wrong}`, vialLabel: `${din}-V002`, row: '7', col: '2' }),
      line({ externalRef: ref, din: `${typo}${check}`, vialLabel: `${typo}-V001`, row: '7', col: '3' }),
      line({ externalRef: ref, din: `${din.slice(0, 12)}X`, vialLabel: `${din}-V003`, row: '7', col: '4' }),
    ]);
    const mismatch = {
      code: 'DIN_CHECK_MISMATCH',
      field: 'din',
      message: 'the check character does not match the DIN: one of them is mistyped',
    };
    const expected = [
      { line: 3, ...mismatch },
      { line: 4, ...mismatch },
      { line: 5, code: 'DIN_INVALID', field: 'din', message: expect.stringContaining('13-character DIN') },
    ];
    const before = await counts();
    const dry = await postInventory(t.http, admin, file, true);
    expect(dry.body).toEqual({ rows: 4, errors: expected });
    expect(await counts()).toEqual(before);

    const started = await postInventory(t.http, admin, file, false);
    const view = await finishedImport(t.http, admin, started.body.importId as string);
    expect(view).toMatchObject({ state: 'COMPLETED', created: 1, errors: expected });
    // The one good line is banked under the DIN without its check character, which the batch keeps apart.
    const { rows } = await t.sql.query<{ din: string; din_check: string; label: string }>(
      `SELECT b.din, b.din_check, v.label FROM batches b JOIN vials v ON v.batch_id = b.id
        WHERE b.din = ANY($1) OR b.din LIKE $2`,
      [[din, typo], `${din.slice(0, 12)}%`],
    );
    expect(rows).toEqual([{ din, din_check: check, label: `${din}-V001` }]);
  });

  it('stores each error with its code, and the database takes only the known codes', async () => {
    const { rows } = await t.sql.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'import_errors_code_known'`,
    );
    for (const code of IMPORT_LINE_CODES) expect(rows[0].def).toContain(`'${code}'`);
    const { rows: imports } = await t.sql.query<{ id: string }>('SELECT id FROM imports LIMIT 1');
    await expect(
      t.sql.query(
        `INSERT INTO import_errors (import_id, seq, line, code, field, message) VALUES ($1, 100000, 2, 'OOPS', NULL, 'x')`,
        [imports[0].id],
      ),
    ).rejects.toThrow(/import_errors_code_known/);
    await expect(
      t.sql.query(
        `INSERT INTO import_errors (import_id, seq, line, field, message) VALUES ($1, 100001, 2, NULL, 'x')`,
        [imports[0].id],
      ),
    ).rejects.toThrow(/null value in column "code"/);
  });

  it('is for admins only, and needs dryRun', async () => {
    const file = inventoryFile([]);
    const qa = await t.http
      .post('/api/v1/users')
      .set(...bearer(admin))
      .send({
        email: `qa-${unique().toLowerCase()}@cpc.test`,
        name: 'QA',
        role: 'qa',
        password: 'qa-password-long-1',
      });
    expect(qa.status).toBe(201);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: (qa.body as { email: string }).email, password: 'qa-password-long-1' });
    const qaToken = (login.body as { accessToken: string }).accessToken;
    expect((await postInventory(t.http, qaToken, file, true)).status).toBe(403);
    const noFlag = await t.http
      .post('/api/v1/imports/bank-inventory')
      .set(...bearer(admin))
      .set('Content-Type', 'text/csv')
      .send(file);
    expect(noFlag.status).toBe(400);
    expect((await t.http.get(`/api/v1/imports/${randomUUID()}`).set(...bearer(admin))).status).toBe(404);
    expect((await t.http.get(`/api/v1/imports/${randomUUID()}`).set(...bearer(qaToken))).status).toBe(403);
  });

  it('real run: banks the good lines as LEGACY batches, lists the bad ones, and a re-run duplicates nothing', async () => {
    const { file, dins, refs, errors } = mixedFile();
    const started = await postInventory(t.http, admin, file, false);
    expect(started.status).toBe(202);
    const view = await finishedImport(t.http, admin, started.body.importId as string);
    expect(view).toMatchObject({ state: 'COMPLETED', total: 10, processed: 10, created: 4, skipped: 0 });
    expect(view.errors).toEqual(errors);

    const { rows: vials } = await t.sql.query<{
      label: string;
      status: string;
      origin: string;
      bstatus: string;
    }>(
      `SELECT v.label, v.status, b.origin, b.status AS bstatus FROM vials v JOIN batches b ON b.id = v.batch_id
        WHERE b.din = ANY($1) ORDER BY v.label`,
      [dins],
    );
    expect(vials.map((v) => v.label)).toEqual(
      [`${dins[0]}-V001`, `${dins[0]}-V002`, `${dins[1]}-V001`, `${dins[1]}-V006`].sort(),
    );
    expect(new Set(vials.map((v) => `${v.status}/${v.origin}/${v.bstatus}`))).toEqual(
      new Set(['STORED/LEGACY/CULTURE_COMPLETE']),
    );
    const { rows: donors } = await t.sql.query<{ external_ref: string; birth_year: number; sex: string }>(
      'SELECT external_ref, birth_year, sex FROM donors WHERE external_ref = ANY($1) ORDER BY external_ref',
      [refs],
    );
    expect(donors).toHaveLength(2);
    const { rows: batch } = await t.sql.query<{ id: string; viable: number; drawn: number }>(
      'SELECT id, viable_cells_yielded AS viable, cells_drawn AS drawn FROM batches WHERE din = $1',
      [dins[0]],
    );
    expect(batch[0]).toMatchObject({ viable: 10_000_000, drawn: 10_000_000 });
    // Reviewed like any vial: each donor's vials are in one pending storage review, due on the next
    // anniversary of their freezing (2019-05-01 10:00 in Tokyo), not at the import.
    const { rows: reviews } = await t.sql.query<{ donors: number; unreviewed: number; due: string[] }>(
      `SELECT count(DISTINCT r.donor_id)::int AS donors, count(*) FILTER (WHERE v.review_id IS NULL)::int AS unreviewed,
              array_agg(DISTINCT r.due_at) AS due
         FROM vials v JOIN batches b ON b.id = v.batch_id LEFT JOIN storage_reviews r ON r.id = v.review_id
        WHERE b.din = ANY($1) AND (r.status = 'PENDING' OR r.id IS NULL)`,
      [dins],
    );
    expect(reviews[0]).toEqual({
      donors: 2,
      unreviewed: 0,
      due: [scheduleInProgress(new Date('2019-05-01T01:00:00Z'), 12, 'Asia/Tokyo', new Date()).dueAt],
    });
    const batchView = await t.http.get(`/api/v1/batches/${batch[0].id}`).set(...bearer(admin));
    expect(batchView.status).toBe(200);
    expect(batchView.body).toMatchObject({ origin: 'LEGACY', status: 'CULTURE_COMPLETE', harvestId: null });

    // The same file again: a new import (the first is finished) that skips every vial already banked.
    const before = await counts();
    const again = await postInventory(t.http, admin, file, false);
    expect(again.status).toBe(202);
    expect(again.body.importId).not.toBe(started.body.importId);
    const rerun = await finishedImport(t.http, admin, again.body.importId as string);
    expect(rerun.errors).toEqual(errors);
    expect(rerun).toMatchObject({ state: 'COMPLETED', total: 10, processed: 10, created: 0, skipped: 4 });
    const after = await counts();
    expect({ ...after, imports: 0, audit: 0 }).toEqual({ ...before, imports: 0, audit: 0 });
  });

  it("reviews fall on each vial's next freezing anniversary; only those due within 30 days are flagged", async () => {
    const now = new Date();
    const soonDin = aLegacyDin();
    const laterDin = aLegacyDin();
    const ref = unique('R-');
    // One donor: a vial frozen a year and ten days short of now (due in ten days), one frozen three years and
    // two months ago (due in ten months), and one frozen five months ago (its first review still to come).
    const soon = addCalendarMonths(new Date(now.getTime() + 10 * 86_400_000), -12, 'Asia/Tokyo');
    const later = addCalendarMonths(now, -38, 'Asia/Tokyo');
    const recent = addCalendarMonths(now, -5, 'Asia/Tokyo');
    const file = inventoryFile([
      line({
        externalRef: ref,
        din: soonDin,
        vialLabel: `${soonDin}-V001`,
        row: '8',
        col: '1',
        frozenAt: soon.toISOString(),
      }),
      line({
        externalRef: ref,
        din: laterDin,
        vialLabel: `${laterDin}-V001`,
        row: '8',
        col: '2',
        frozenAt: later.toISOString(),
      }),
      line({
        externalRef: ref,
        din: laterDin,
        vialLabel: `${laterDin}-V002`,
        row: '8',
        col: '3',
        frozenAt: recent.toISOString(),
      }),
    ]);
    const started = await postInventory(t.http, admin, file, false);
    expect((await finishedImport(t.http, admin, started.body.importId as string)).created).toBe(3);
    const { rows } = await t.sql.query<{ label: string; next: Date; base: Date; review: string; due: Date }>(
      `SELECT v.label, v.next_review_at AS next, v.review_base_at AS base, r.id AS review, r.due_at AS due
         FROM vials v JOIN storage_reviews r ON r.id = v.review_id WHERE v.label = ANY($1) ORDER BY v.label`,
      [[`${soonDin}-V001`, `${laterDin}-V001`, `${laterDin}-V002`]],
    );
    const expected = [
      { frozen: soon, due: addCalendarMonths(soon, 12, 'Asia/Tokyo'), base: soon },
      {
        frozen: later,
        due: addCalendarMonths(later, 48, 'Asia/Tokyo'),
        base: addCalendarMonths(later, 36, 'Asia/Tokyo'),
      },
      { frozen: recent, due: addCalendarMonths(recent, 12, 'Asia/Tokyo'), base: recent },
    ];
    expect(rows.map((r) => ({ next: r.next, base: r.base, due: r.due }))).toEqual(
      expected.map((e) => ({ next: e.due, base: e.base, due: e.due })),
    );
    // Three dates, three reviews of the one donor.
    expect(new Set(rows.map((r) => r.review)).size).toBe(3);
    const [dueSoon, dueLater, dueRecent] = rows.map((r) => r.review);
    // The review due in ten days is announced and flagged; the others are not announced at all.
    await flagWithin(t.http, admin, { type: 'STORAGE_REVIEW_DUE', subjectId: dueSoon });
    const { rows: announced } = await t.sql.query<{ subject: string }>(
      `SELECT subject_id AS subject FROM outbox_events WHERE subject_id = ANY($1)`,
      [[dueSoon, dueLater, dueRecent]],
    );
    expect(announced.map((a) => a.subject)).toEqual([dueSoon]);
    expect(await flagRowsOf(t, dueLater)).toEqual([]);
    expect(await flagRowsOf(t, dueRecent)).toEqual([]);
  });

  it('a position taken by a banked vial is a bad line of the next file', async () => {
    const din = aLegacyDin();
    const first = inventoryFile([
      line({ externalRef: unique('R-'), din, vialLabel: `${din}-V001`, row: '5', col: '5' }),
    ]);
    const started = await postInventory(t.http, admin, first, false);
    await finishedImport(t.http, admin, started.body.importId as string);
    const other = aLegacyDin();
    const second = inventoryFile([
      line({ externalRef: unique('R-'), din: other, vialLabel: `${other}-V001`, row: '5', col: '5' }),
    ]);
    const dry = await postInventory(t.http, admin, second, true);
    expect(dry.body).toEqual({
      rows: 1,
      errors: [
        { line: 2, code: 'POSITION_TAKEN', field: 'row', message: `the position holds vial ${din}-V001` },
      ],
    });
  });

  it('LEGACY vials are not reserved until a qa signer accepts the batch; it is accepted once', async () => {
    const din = aLegacyDin();
    const file = inventoryFile([
      line({ externalRef: unique('R-'), din, vialLabel: `${din}-V001`, row: '9', col: '9' }),
    ]);
    const started = await postInventory(t.http, admin, file, false);
    await finishedImport(t.http, admin, started.body.importId as string);
    const { rows } = await t.sql.query<{ batch: string; donor: string; vial: string; clinic: string }>(
      `SELECT b.id AS batch, b.donor_id AS donor, v.id AS vial, b.clinic_id AS clinic
         FROM batches b JOIN vials v ON v.batch_id = b.id WHERE b.din = $1`,
      [din],
    );
    const { batch, donor, vial } = rows[0];
    const doctor = await aPerson(t.http, 'doctor', clinic);
    const qa = await aPerson(t.http, 'qa');
    const reserve = () =>
      t.http
        .post('/api/v1/boosters')
        .set(...bearer(doctor))
        .send({ donorId: donor, vialIds: [vial] });
    const refused = await reserve();
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('VIAL_NOT_AVAILABLE');

    const accept = (password: string) =>
      t.http
        .post(`/api/v1/batches/${batch}/accept-legacy`)
        .set(...bearer(qa))
        .send({ password, meaning: 'Paper record reviewed' });
    const wrong = await accept('not the password');
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('SIGNATURE_INVALID');
    const [a, b] = await Promise.all([accept(qa.password), accept(qa.password)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? a : b;
    expect(winner.body).toMatchObject({ origin: 'LEGACY', status: 'RELEASED' });
    expect((a.status === 409 ? a : b).body.code).toBe('ALREADY_DECIDED');
    const { rows: decisions } = await t.sql.query(
      'SELECT decision FROM batch_decisions WHERE batch_id = $1',
      [batch],
    );
    expect(decisions).toEqual([{ decision: 'RELEASE' }]);

    const booked = await reserve();
    expect(booked.status).toBe(201);
  });

  it('a LEGACY batch is not released like a cultured one (409); accept-legacy is 404 for no batch, 403 for non-qa', async () => {
    const din = aLegacyDin();
    const file = inventoryFile([
      line({ externalRef: unique('R-'), din, vialLabel: `${din}-V001`, row: '9', col: '8' }),
    ]);
    const started = await postInventory(t.http, admin, file, false);
    await finishedImport(t.http, admin, started.body.importId as string);
    const { rows } = await t.sql.query<{ id: string }>('SELECT id FROM batches WHERE din = $1', [din]);
    const qa = await aPerson(t.http, 'qa');
    const release = await t.http
      .post(`/api/v1/batches/${rows[0].id}/release`)
      .set(...bearer(qa))
      .send({ decision: 'RELEASE', password: qa.password, meaning: 'Released' });
    expect(release.status).toBe(409);
    expect(release.body.code).toBe('INVALID_TRANSITION');
    const unknown = await t.http
      .post(`/api/v1/batches/${randomUUID()}/accept-legacy`)
      .set(...bearer(qa))
      .send({ password: qa.password, meaning: 'Accepted' });
    expect(unknown.status).toBe(404);
    const notQa = await t.http
      .post(`/api/v1/batches/${rows[0].id}/accept-legacy`)
      .set(...bearer(admin))
      .send({ password: 'x', meaning: 'Accepted' });
    expect(notQa.status).toBe(403);
  });
});
