import { randomUUID } from 'node:crypto';
import { aBankedBatch, aBox, UnitRef } from '../support/bank-fixtures';
import { aJobsApp, JobsTestApp } from '../support/flag-fixtures';
import {
  aLegacyDin,
  csvOf,
  importedInventory,
  importOf,
  InventoryLine,
  postInventory,
  withCheck,
} from '../support/import-fixtures';
import { aCast, aPerson, bearer, Cast } from '../support/people';
import { unique } from '../support/test-app';

interface Counts {
  donors: number;
  batches: number;
  vials: number;
  audit: number;
}

describe('importing a legacy bank inventory (CSV)', () => {
  let t: JobsTestApp;
  let cast: Cast;
  let box: UnitRef;
  let occupied: { row: number; col: number; label: string };
  let processedDin: string;
  let existingDonor: { id: string; externalRef: string };
  let lines: Partial<InventoryLine>[];
  const refA = unique('LEG-A-');
  const refB = unique('LEG-B-');
  const dinA = aLegacyDin();
  const dinB = aLegacyDin();
  const dinC = aLegacyDin();

  const counts = async (): Promise<Counts> => {
    const row = await t.sql
      .query(`SELECT (SELECT count(*) FROM donors)::int AS donors, (SELECT count(*) FROM batches)::int AS batches,
      (SELECT count(*) FROM vials)::int AS vials, (SELECT count(*) FROM audit_entries)::int AS audit`);
    return row.rows[0] as Counts;
  };

  beforeAll(async () => {
    t = await aJobsApp();
    cast = await aCast(t.http);
    box = (await aBox(t.http, cast.admin, { rows: 10, cols: 10 })).box;
    // A vial this facility froze, in the same box, and its batch's DIN.
    const banked = await aBankedBatch(t.http, cast, { vials: 1 });
    processedDin = banked.batch.din;
    const { box: otherBox } = { box: banked.box };
    occupied = { row: banked.vials[0].row, col: banked.vials[0].col, label: banked.vials[0].label };
    const donor = await t.http
      .post('/api/v1/donors')
      .set(...bearer(cast.doctor))
      .send({
        externalRef: unique('LEG-E-'),
        birthYear: 1955,
        sex: 'M',
        consent: { treatment: true, banking: true, signedAt: '2018-04-01T00:00:00Z' },
      });
    existingDonor = { id: donor.body.id, externalRef: donor.body.externalRef };
    const base = {
      clinicCode: cast.clinic.code,
      boxId: box.id,
      frozenAt: '2019-05-01T10:00:00+09:00',
      cells: 4_000_000,
    };
    lines = [
      /* 2 */ {
        ...base,
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: dinA,
        vialLabel: `${dinA}-V001`,
        row: 1,
        col: 1,
      },
      /* 3 */ {
        ...base,
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: dinA,
        vialLabel: `${dinA}-V002`,
        row: 1,
        col: 2,
        cells: 3_500_000,
      },
      /* 4 */ {
        ...base,
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: dinA,
        vialLabel: `${dinA}-V003`,
        row: 1,
        col: 9,
        cells: 0,
      },
      /* 5 */ {
        ...base,
        clinicCode: 'NO-SUCH-99',
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: dinA,
        vialLabel: `${dinA}-V004`,
        row: 1,
        col: 8,
      },
      /* 6 */ {
        ...base,
        boxId: randomUUID(),
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: dinA,
        vialLabel: `${dinA}-V005`,
        row: 1,
        col: 7,
      },
      /* 7 */ {
        ...base,
        externalRef: existingDonor.externalRef,
        birthYear: 1955,
        sex: 'M',
        din: dinB,
        vialLabel: `${dinB}-V001`,
        row: 1,
        col: 3,
      },
      /* 8 */ {
        ...base,
        externalRef: existingDonor.externalRef,
        birthYear: 1956,
        sex: 'M',
        din: dinB,
        vialLabel: `${dinB}-V002`,
        row: 1,
        col: 4,
      },
      /* 9 */ {
        ...base,
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: dinA,
        vialLabel: `${dinA}-V001`,
        row: 3,
        col: 3,
      },
      /* 10 */ {
        ...base,
        boxId: otherBox.id,
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: dinA,
        vialLabel: `${dinA}-V006`,
        row: occupied.row,
        col: occupied.col,
      },
      /* 11 */ {
        ...base,
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: processedDin,
        vialLabel: `${processedDin}-V009`,
        row: 4,
        col: 4,
      },
      /* 12 */ {
        ...base,
        externalRef: refA,
        birthYear: 1961,
        sex: 'F',
        din: dinA,
        vialLabel: `${dinA}-V007`,
        row: 11,
        col: 1,
      },
      /* 13 */ {
        ...base,
        externalRef: refB,
        birthYear: 1970,
        sex: 'X',
        din: withCheck(dinC),
        vialLabel: `${dinC}-V001`,
        row: 2,
        col: 1,
      },
    ];
  }, 60_000);
  afterAll(async () => t.dispose());

  const expectedErrors = () => [
    { line: 4, field: 'cells' },
    { line: 5, field: 'clinicCode' },
    { line: 6, field: 'boxId' },
    { line: 8, field: 'birthYear' },
    { line: 9, field: 'vialLabel' },
    { line: 10, field: 'row' },
    { line: 11, field: 'din' },
    { line: 12, field: 'row' },
  ];
  const GOOD_LINES = [2, 3, 7, 13];

  it('a dry run reports every bad row by line and field, and stores nothing', async () => {
    const before = await counts();
    const response = await postInventory(t.http, cast.admin, csvOf(lines), true);
    expect(response.status).toBe(200);
    expect(response.body.rows).toBe(12);
    const errors = response.body.errors as { line: number; field: string; message: string }[];
    expect(errors.map(({ line, field }) => ({ line, field }))).toEqual(expectedErrors());
    for (const error of errors) expect(error.message.length).toBeGreaterThan(3);
    expect(errors.find((e) => e.line === 10)?.message).toContain(occupied.label);
    expect(await counts()).toEqual(before);
    expect(Number((await t.sql.query('SELECT count(*) FROM imports')).rows[0].count)).toBe(0);
  });

  it('a real run imports the good rows as LEGACY batches and their vials, and reports the bad ones', async () => {
    const before = await counts();
    const result = await importedInventory(t.http, cast.admin, csvOf(lines));
    expect(result).toMatchObject({ state: 'COMPLETED', total: 12, processed: 12, created: 4, skipped: 0 });
    expect(result.errors.map(({ line, field }) => ({ line, field }))).toEqual(expectedErrors());
    const after = await counts();
    expect(after.vials - before.vials).toBe(4);
    expect(after.batches - before.batches).toBe(3);
    expect(after.donors - before.donors).toBe(2); // refA and refB; line 7 matched the donor who was there

    const byLine = new Map(lines.map((line, i) => [i + 2, line]));
    const vialOf = async (line: number) => {
      const label = String(byLine.get(line)?.vialLabel);
      const response = await t.http.get(`/api/v1/vials/by-label/${label}`).set(...bearer(cast.qa));
      expect([label, response.status]).toEqual([label, 200]);
      return response.body;
    };
    for (const line of GOOD_LINES) {
      const source = byLine.get(line) as InventoryLine;
      const vial = await vialOf(line);
      expect(vial).toMatchObject({
        label: source.vialLabel,
        status: 'STORED',
        cells: Number(source.cells),
        boxId: source.boxId,
        row: Number(source.row),
        col: Number(source.col),
        frozenAt: new Date(String(source.frozenAt)).toISOString(),
        clinicId: cast.clinic.id,
      });
      expect(vial.nextReviewAt).not.toBeNull();
      const batch = await t.http.get(`/api/v1/batches/${vial.batchId}`).set(...bearer(cast.qa));
      expect(batch.body).toMatchObject({ status: 'LEGACY', din: String(source.din).slice(0, 13) });
    }
    const [v2, v3, v7, v13] = await Promise.all(GOOD_LINES.map(vialOf));
    expect(v3.donorId).toBe(v2.donorId);
    expect(v3.batchId).toBe(v2.batchId);
    expect(v7.donorId).toBe(existingDonor.id);
    const donorA = await t.http.get(`/api/v1/donors/${v2.donorId}`).set(...bearer(cast.doctor));
    expect(donorA.body).toMatchObject({
      externalRef: refA,
      birthYear: 1961,
      sex: 'F',
      clinicId: cast.clinic.id,
    });
    expect(v13.din).toBe(dinC);
    for (const line of [4, 5, 6, 8, 12]) {
      const label = String(byLine.get(line)?.vialLabel);
      expect((await t.http.get(`/api/v1/vials/by-label/${label}`).set(...bearer(cast.qa))).status).toBe(404);
    }
    const audit = await t.sql.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'vial.imported'`,
    );
    expect(audit.rows[0].n).toBe(4);
  });

  it('a re-run of the same file skips every row imported before and duplicates nothing', async () => {
    const before = await counts();
    const result = await importedInventory(t.http, cast.admin, csvOf(lines));
    expect(result).toMatchObject({ state: 'COMPLETED', total: 12, processed: 12, created: 0, skipped: 4 });
    // The same lines are bad again: line 9 still repeats line 2's label within the file.
    expect(result.errors.map(({ line, field }) => ({ line, field }))).toEqual(expectedErrors());
    const after = await counts();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    const labels = await t.sql.query(`SELECT label FROM vials WHERE label LIKE ANY($1)`, [
      [`${dinA}%`, `${dinB}%`, `${dinC}%`],
    ]);
    expect(labels.rows.map((row: { label: string }) => row.label).sort()).toEqual(
      [`${dinA}-V001`, `${dinA}-V002`, `${dinB}-V001`, `${dinC}-V001`].sort(),
    );
  });

  it('keeps legacy vials from boosters until QA accepts the paper record with a signature', async () => {
    const vial = (await t.http.get(`/api/v1/vials/by-label/${dinB}-V001`).set(...bearer(cast.qa))).body;
    const booster = () =>
      t.http
        .post('/api/v1/boosters')
        .set(...bearer(cast.doctor))
        .send({ donorId: vial.donorId, vialIds: [vial.id] });
    const refused = await booster();
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('VIAL_NOT_AVAILABLE');

    const accept = (who: { token: string }, body: Record<string, unknown>) =>
      t.http
        .post(`/api/v1/batches/${vial.batchId}/accept-legacy`)
        .set(...bearer(who))
        .send(body);
    expect(
      (await accept(cast.technician, { password: cast.technician.password, meaning: 'ok' })).status,
    ).toBe(403);
    expect((await accept(cast.qa, { password: cast.qa.password })).status).toBe(400);
    const wrong = await accept(cast.qa, { password: 'not-my-password', meaning: 'Paper record reviewed' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('SIGNATURE_INVALID');
    expect((await t.http.get(`/api/v1/batches/${vial.batchId}`).set(...bearer(cast.qa))).body.status).toBe(
      'LEGACY',
    );

    const accepted = await accept(cast.qa, {
      password: cast.qa.password,
      meaning: 'Paper batch record reviewed and accepted',
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'RELEASED',
      decision: {
        decision: 'ACCEPT_LEGACY',
        signerId: cast.qa.id,
        meaning: 'Paper batch record reviewed and accepted',
      },
    });
    expect(accepted.body.decision.recordHash).toMatch(/^[0-9a-f]{64}$/);
    const again = await accept(cast.qa, { password: cast.qa.password, meaning: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_DECIDED');

    const reserved = await booster();
    expect(reserved.status).toBe(201);
  });

  it('accepts a legacy record only for a LEGACY batch, once, whoever races', async () => {
    const processed = await t.http.get(`/api/v1/batches/by-din/${processedDin}`).set(...bearer(cast.qa));
    const notLegacy = await t.http
      .post(`/api/v1/batches/${processed.body.id}/accept-legacy`)
      .set(...bearer(cast.qa))
      .send({ password: cast.qa.password, meaning: 'x' });
    expect(notLegacy.status).toBe(409);
    expect(notLegacy.body.code).toBe('INVALID_TRANSITION');

    const vial = (await t.http.get(`/api/v1/vials/by-label/${dinA}-V001`).set(...bearer(cast.qa))).body;
    const qa2 = await aPerson(t.http, 'qa');
    const answers = await Promise.all(
      [cast.qa, qa2].map((who) =>
        t.http
          .post(`/api/v1/batches/${vial.batchId}/accept-legacy`)
          .set(...bearer(who))
          .send({ password: who.password, meaning: 'Paper record reviewed' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const decisions = await t.sql.query(
      'SELECT count(*)::int AS n FROM batch_decisions WHERE batch_id = $1',
      [vial.batchId],
    );
    expect(decisions.rows[0].n).toBe(1);
  });

  it('refuses other roles, a file that is not CSV, a bad header, and unknown imports', async () => {
    const csv = csvOf(lines.slice(0, 1));
    for (const role of ['qa', 'technician', 'doctor'] as const) {
      const person = await aPerson(t.http, role, cast.clinic);
      const response = await postInventory(t.http, person.token, csv, true);
      expect(response.status).toBe(403);
    }
    const json = await t.http
      .post('/api/v1/imports/bank-inventory')
      .query({ dryRun: 'true' })
      .set(...bearer(cast.admin))
      .send({ rows: [] });
    expect(json.status).toBe(415);
    const badFlag = await t.http
      .post('/api/v1/imports/bank-inventory')
      .query({ dryRun: 'maybe' })
      .set(...bearer(cast.admin))
      .set('content-type', 'text/csv')
      .send(csv);
    expect(badFlag.status).toBe(400);

    const before = await counts();
    const header = await postInventory(t.http, cast.admin, 'clinicCode,externalRef,notes\nA,B,C\n', false);
    expect(header.status).toBe(400);
    expect(header.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(header.body.details)).toContain('line 1');
    expect(await counts()).toEqual(before);

    const unknown = await t.http.get(`/api/v1/imports/${randomUUID()}`).set(...bearer(cast.admin));
    expect(unknown.status).toBe(404);
    const earlier = await t.sql.query('SELECT id FROM imports LIMIT 1');
    const view = await importOf(t.http, cast.admin, earlier.rows[0].id);
    expect(view.state).toBe('COMPLETED');
  });
});
