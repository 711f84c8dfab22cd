import { dinCheckCharacter } from '../../src/batches/domain/din';
import {
  aBankedBatch,
  aBox,
  BankedBatch,
  cryopreserve,
  positionsIn,
  thaw,
  aBooster,
} from '../support/bank-fixtures';
import { aCollectedHarvest } from '../support/donor-fixtures';
import { scanPdf, pdfText } from '../support/label-scanner';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { aDose, aReleasedBatch, ReleasedBatch } from '../support/release-fixtures';
import { startTestApp, startTestAppWith, TestApp } from '../support/test-app';

const now = (): string => new Date().toISOString();

function binary(res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('labels: product codes, print runs, PDF and ZPL, scans and the hand-offs that check them', () => {
  let t: TestApp;
  let cast: Cast;
  let stranger: Person;
  let batch: ReleasedBatch;
  let banked: BankedBatch;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    stranger = await aPerson(t.http, 'doctor');
    batch = await aReleasedBatch(t.http, cast);
    banked = await aBankedBatch(t.http, cast, { vials: 4 });
  });
  afterAll(async () => {
    await t.close();
  });

  const print = (who: Person | string, body: Record<string, unknown>) =>
    t.http
      .post('/api/v1/labels')
      .set(...bearer(who))
      .send(body);
  const verify = (who: Person | string, body: Record<string, unknown>) =>
    t.http
      .post('/api/v1/scans/verify')
      .set(...bearer(who))
      .send(body);
  const scansOf = async (subjectId: string) =>
    (
      await t.sql.query<{ match: boolean; hand_off: string | null; reason: string | null }>(
        'SELECT match, hand_off, reason FROM scans WHERE subject_id = $1 ORDER BY scanned_at, id',
        [subjectId],
      )
    ).rows;

  it('prints a dose label whose PDF reads back as the data structures, and ZPL with the same data', async () => {
    const set = await t.http
      .put('/api/v1/product-codes/FRESH_DOSE')
      .set(...bearer(cast.admin))
      .send({ code: 'S1234', typeOfDonation: 'A', description: 'Adipose MSC, fresh dose' });
    expect(set.status).toBe(200);
    const dose = await aDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const run = await print(cast.technician, { subjectType: 'DOSE', subjectId: dose.id, copies: 2 });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ subjectType: 'DOSE', subjectId: dose.id, copies: 2, reprint: false });
    expect(run.body.serials).toHaveLength(2);

    const pdf = await t.http
      .get(`/api/v1/labels/${run.body.id}/pdf`)
      .set(...bearer(cast.qa))
      .buffer(true)
      .parse(binary as never);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const pages = await scanPdf(pdf.body as Buffer);
    expect(pages).toHaveLength(2);
    const din = batch.din;
    expect(pages[0].code128).toEqual([`=${din}00`]);
    expect(pages[0].dataMatrix[0]).toMatch(
      new RegExp(`^=${din}00=<S1234AA0&>\\d{10} ${dose.label} ${run.body.serials[0]}$`),
    );
    expect(pages[1].dataMatrix[0]).toContain(run.body.serials[1]);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain(dinCheckCharacter(din));
    expect(text).toContain(batch.donorCode);
    expect(text).toContain('FOR AUTOLOGOUS USE ONLY');

    const zpl = await t.http.get(`/api/v1/labels/${run.body.id}/zpl`).set(...bearer(cast.technician));
    expect(zpl.status).toBe(200);
    expect(zpl.text.match(/\^XA/g)).toHaveLength(2);
    expect(zpl.text).toContain(`^FH^FD${pages[0].dataMatrix[0]}^FS`);

    // The DataMatrix as read verifies the dose; the same symbol is not the batch's other dose.
    const ok = await verify(cast.technician, {
      scan: pages[0].dataMatrix[0],
      subjectType: 'DOSE',
      subjectId: dose.id,
    });
    expect(ok.body).toEqual({
      match: true,
      identified: { subjectType: 'DOSE', subjectId: dose.id, serial: run.body.serials[0] },
    });
    const other = await aDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const wrong = await verify(cast.technician, {
      scan: pages[0].dataMatrix[0],
      subjectType: 'DOSE',
      subjectId: other.id,
    });
    expect(wrong.body).toMatchObject({
      match: false,
      reason: 'OTHER_ITEM',
      identified: { subjectId: dose.id },
    });
    expect(await scansOf(other.id)).toEqual([{ match: false, hand_off: null, reason: 'OTHER_ITEM' }]);
  });

  it('a reprint needs a reason; two first prints at once give one print and one 400', async () => {
    const dose = await aDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const both = await Promise.all(
      [1, 2].map(() => print(cast.technician, { subjectType: 'DOSE', subjectId: dose.id })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 400]);
    const reprint = await print(cast.qa, { subjectType: 'DOSE', subjectId: dose.id, reason: 'smudged' });
    expect(reprint.status).toBe(201);
    expect(reprint.body).toMatchObject({ reprint: true, reason: 'smudged' });
    const list = await t.http.get(`/api/v1/labels?subjectId=${dose.id}`).set(...bearer(cast.admin));
    expect(list.body.map((r: { reprint: boolean; voided: boolean }) => [r.reprint, r.voided])).toEqual([
      [false, false],
      [true, false],
    ]);
  });

  it('voiding: once (two at once: one 200, one 409), QA only, and its serials no longer verify', async () => {
    const dose = await aDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const run = await print(cast.technician, { subjectType: 'DOSE', subjectId: dose.id });
    const serial = run.body.serials[0] as string;
    expect(
      (await verify(cast.technician, { scan: serial, subjectType: 'DOSE', subjectId: dose.id })).body.match,
    ).toBe(true);
    const byTech = await t.http
      .post(`/api/v1/labels/${run.body.id}/void`)
      .set(...bearer(cast.technician))
      .send({ reason: 'x' });
    expect(byTech.status).toBe(403);
    const voids = await Promise.all(
      [1, 2].map(() =>
        t.http
          .post(`/api/v1/labels/${run.body.id}/void`)
          .set(...bearer(cast.qa))
          .send({ reason: 'wrong printer' }),
      ),
    );
    expect(voids.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await verify(cast.technician, { scan: serial, subjectType: 'DOSE', subjectId: dose.id });
    expect(after.body).toMatchObject({ match: false, reason: 'VOIDED_SERIAL' });
    expect((await t.http.get(`/api/v1/labels/${run.body.id}/pdf`).set(...bearer(cast.qa))).status).toBe(409);
  });

  it('refuses bad input, labels of a gone item, and other clinics', async () => {
    expect((await print(cast.technician, { subjectType: 'DOSE', subjectId: 'nope' })).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await print(cast.technician, { subjectType: 'DOSE', subjectId: batch.id, copies: 11 })).status,
    ).toBe(400);
    expect((await print(cast.technician, { subjectType: 'DOSE', subjectId: batch.id })).status).toBe(404);
    const dose = await aDose(t.http, cast, batch.id, { cells: 1_000_000 });
    await t.http
      .post(`/api/v1/doses/${dose.id}/destruction`)
      .set(...bearer(cast.technician))
      .send({ reason: 'dropped' });
    expect((await print(cast.technician, { subjectType: 'DOSE', subjectId: dose.id })).body.code).toBe(
      'INVALID_TRANSITION',
    );
    expect((await print(cast.doctor, { subjectType: 'BATCH', subjectId: batch.id })).status).toBe(403);
    const harvest = await aCollectedHarvest(t.http, cast.doctor);
    expect((await print(cast.doctor, { subjectType: 'HARVEST', subjectId: harvest.id })).status).toBe(201);
    expect((await print(stranger, { subjectType: 'HARVEST', subjectId: harvest.id })).status).toBe(404);
    expect(
      (await verify(stranger, { scan: harvest.id, subjectType: 'HARVEST', subjectId: harvest.id })).status,
    ).toBe(404);
    const code = await t.http
      .put('/api/v1/product-codes/FRESH_DOSE')
      .set(...bearer(cast.admin))
      .send({ code: 's12', typeOfDonation: 'A', description: 'x' });
    expect(code.status).toBe(400);
    expect(
      (
        await t.http
          .put('/api/v1/product-codes/PLASMA')
          .set(...bearer(cast.admin))
          .send({ code: 'S1234', typeOfDonation: 'A', description: 'x' })
      ).status,
    ).toBe(400);
  });

  it('a DIN with a wrong check character, and the right one', async () => {
    const check = dinCheckCharacter(batch.din);
    const wrong = check === 'A' ? 'B' : 'A';
    expect(
      (
        await verify(cast.technician, {
          scan: `${batch.din}${wrong}`,
          subjectType: 'BATCH',
          subjectId: batch.id,
        })
      ).body,
    ).toEqual({
      match: false,
      identified: null,
      reason: 'WRONG_CHECK_CHARACTER',
    });
    expect(
      (
        await verify(cast.technician, {
          scan: ` ${batch.din.toLowerCase()}${check} `,
          subjectType: 'BATCH',
          subjectId: batch.id,
        })
      ).body.match,
    ).toBe(true);
  });

  describe('every hand-off refuses a wrong scan with nothing changed but the recorded check', () => {
    const wrongScan = 'X999999999999-D01';

    it('harvest receipt', async () => {
      const harvest = await aCollectedHarvest(t.http, cast.doctor);
      const body = { receivedAt: now(), temperatureC: 4, intact: true };
      const refused = await t.http
        .post(`/api/v1/harvests/${harvest.id}/receipt`)
        .set(...bearer(cast.technician))
        .send({ ...body, scan: wrongScan });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('IDENTITY_MISMATCH');
      expect(
        (await t.sql.query('SELECT status FROM harvests WHERE id = $1', [harvest.id])).rows[0].status,
      ).toBe('COLLECTED');
      expect(await scansOf(harvest.id)).toEqual([
        { match: false, hand_off: 'HARVEST_RECEIPT', reason: 'OTHER_ITEM' },
      ]);
      const ok = await t.http
        .post(`/api/v1/harvests/${harvest.id}/receipt`)
        .set(...bearer(cast.technician))
        .send({ ...body, scan: harvest.id.toUpperCase() });
      expect(ok.status).toBe(200);
    });

    it('dose dispatch, clinic receipt and administration', async () => {
      const dose = await aDose(t.http, cast, batch.id, { cells: 1_000_000 });
      const post = (step: string, who: Person, body: Record<string, unknown>) =>
        t.http
          .post(`/api/v1/doses/${dose.id}/${step}`)
          .set(...bearer(who))
          .send(body);
      const steps: [string, Person, Record<string, unknown>, string][] = [
        ['dispatch', cast.technician, { dispatchedAt: now() }, 'DISPATCHED'],
        ['receipt', cast.doctor, { receivedAt: now(), temperatureC: 5, intact: true }, 'RECEIVED'],
        [
          'administration',
          cast.doctor,
          { administeredAt: now(), site: 'LEFT_KNEE', patientCode: batch.donorCode, doseLabel: dose.label },
          'ADMINISTERED',
        ],
      ];
      let before = 'FORMULATED';
      for (const [step, who, body, status] of steps) {
        const refused = await post(step, who, { ...body, scan: `${batch.din}` });
        expect([step, refused.status, refused.body.code]).toEqual([step, 422, 'IDENTITY_MISMATCH']);
        expect((await t.sql.query('SELECT status FROM doses WHERE id = $1', [dose.id])).rows[0].status).toBe(
          before,
        );
        const ok = await post(step, who, { ...body, scan: ` ${dose.label.toLowerCase()} ` });
        expect([step, ok.status]).toEqual([step, 200]);
        before = status;
      }
      expect((await scansOf(dose.id)).map((s) => [s.hand_off, s.match])).toEqual([
        ['DOSE_DISPATCH', false],
        ['DOSE_DISPATCH', true],
        ['DOSE_RECEIPT', false],
        ['DOSE_RECEIPT', true],
        ['ADMINISTRATION', false],
        ['ADMINISTRATION', true],
      ]);
    });

    it('vial move and thaw', async () => {
      const [vial, second] = banked.vials;
      const { box } = await aBox(t.http, cast.admin);
      const move = (scan: string) =>
        t.http
          .post(`/api/v1/vials/${vial.id}/move`)
          .set(...bearer(cast.technician))
          .send({ boxId: box.id, row: 1, col: 1, reason: 'tidy', scan });
      const refused = await move(second.label);
      expect(refused.body.code).toBe('IDENTITY_MISMATCH');
      expect((await t.sql.query('SELECT box_id FROM vials WHERE id = $1', [vial.id])).rows[0].box_id).toBe(
        vial.boxId,
      );
      expect((await move(vial.label)).status).toBe(200);

      await aBooster(t.http, cast.doctor, banked.batch.donorId, [second.id]);
      const thawBody = (scan: string) => ({
        thawedAt: now(),
        postThawViabilityPct: 88,
        witnessEmail: cast.technician2.email,
        witnessPassword: cast.technician2.password,
        scan,
      });
      const badThaw = await t.http
        .post(`/api/v1/vials/${second.id}/thaw`)
        .set(...bearer(cast.technician))
        .send(thawBody(vial.label));
      expect(badThaw.body.code).toBe('IDENTITY_MISMATCH');
      expect((await t.sql.query('SELECT status FROM vials WHERE id = $1', [second.id])).rows[0].status).toBe(
        'RESERVED',
      );
      const goodThaw = await t.http
        .post(`/api/v1/vials/${second.id}/thaw`)
        .set(...bearer(cast.technician))
        .send(thawBody(second.label));
      expect(goodThaw.status).toBe(200);
      expect(thaw).toBeDefined();
    });

    it('cryopreserve, per vial', async () => {
      const released = await aReleasedBatch(t.http, cast);
      const { box } = await aBox(t.http, cast.admin);
      const [p1, p2] = positionsIn(box, 2);
      const refused = await cryopreserve(t.http, cast.technician, released.id, [p1, p2], {
        vials: [
          { cells: 5_000_000, ...p1, scan: released.din },
          { cells: 5_000_000, ...p2, scan: 'X999926999999' },
        ],
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('IDENTITY_MISMATCH');
      expect(
        (await t.sql.query('SELECT count(*)::int AS n FROM vials WHERE batch_id = $1', [released.id])).rows[0]
          .n,
      ).toBe(0);
      expect(await scansOf(released.id)).toEqual([
        { match: false, hand_off: 'CRYOPRESERVE', reason: 'OTHER_ITEM' },
      ]);
      const ok = await cryopreserve(t.http, cast.technician, released.id, [p1, p2], {
        vials: [
          { cells: 5_000_000, ...p1, scan: `=${released.din}00` },
          { cells: 5_000_000, ...p2, scan: `${released.din}-V002` },
        ],
      });
      expect(ok.status).toBe(201);
    });
  });

  it("a dose's custody timeline from harvest to administration, event by event, oldest first", async () => {
    const own = await aReleasedBatch(t.http, cast);
    const dose = await aDose(t.http, cast, own.id, { cells: 1_000_000 });
    await verify(cast.technician, { scan: 'X999926999999', subjectType: 'DOSE', subjectId: dose.id });
    const post = (step: string, who: Person, body: Record<string, unknown>) =>
      t.http
        .post(`/api/v1/doses/${dose.id}/${step}`)
        .set(...bearer(who))
        .send(body);
    expect((await post('dispatch', cast.technician, { dispatchedAt: now(), scan: dose.label })).status).toBe(
      200,
    );
    expect(
      (await post('receipt', cast.doctor, { receivedAt: now(), temperatureC: 5, intact: true })).status,
    ).toBe(200);
    const administration = {
      administeredAt: now(),
      site: 'LEFT_KNEE',
      patientCode: own.donorCode,
      doseLabel: dose.label,
    };
    expect(
      (await post('administration', cast.doctor, { ...administration, scan: `${own.din}-D99` })).status,
    ).toBe(422);
    expect((await post('administration', cast.doctor, { ...administration, scan: dose.label })).status).toBe(
      200,
    );

    const custody = await t.http.get(`/api/v1/doses/${dose.id}/custody`).set(...bearer(cast.doctor));
    expect(custody.status).toBe(200);
    expect(custody.body.subject).toMatchObject({
      subjectType: 'DOSE',
      subjectId: dose.id,
      label: dose.label,
      din: own.din,
    });
    const events = custody.body.events as {
      at: string;
      kind: string;
      scanVerified: boolean | null;
      location: string;
      actorId: string | null;
      details: Record<string, unknown>;
    }[];
    const times = events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const story = events.map((e) => [e.kind, e.scanVerified]);
    // The fixture back-dates the culture steps before the batch's creation was recorded; each event keeps its
    // own time. The failed administration scan came after the administeredAt the successful one carries.
    expect(story).toEqual([
      ['COLLECTED', null],
      ['RECEIVED', false],
      ['ISOLATED', null],
      ['PASSAGED', null],
      ['PASSAGED', null],
      ['FINAL_HARVEST', null],
      ['BATCH_CREATED', null],
      ['RELEASED', null],
      ['FORMULATED', null],
      ['SCAN', null],
      ['DISPATCHED', true],
      ['CLINIC_RECEIVED', false],
      ['ADMINISTERED', true],
      ['SCAN', null],
    ]);
    const dispatched = events.find((e) => e.kind === 'DISPATCHED');
    expect(dispatched).toMatchObject({ actorId: cast.technician.id, location: 'CPC' });
    expect(events.find((e) => e.kind === 'ADMINISTERED')).toMatchObject({
      actorId: cast.doctor.id,
      location: 'CLINIC',
    });
    expect(events.filter((e) => e.kind === 'SCAN').map((e) => e.details.match)).toEqual([false, false]);
    // The batch's other doses are not on this dose's timeline.
    expect(events.filter((e) => e.kind === 'FORMULATED')).toHaveLength(1);
    expect((await t.http.get(`/api/v1/doses/${dose.id}/custody`).set(...bearer(stranger))).status).toBe(404);
  });

  it("a vial's custody timeline: frozen, moved with a scan, thawed", async () => {
    const own = await aBankedBatch(t.http, cast, { vials: 1 });
    const [vial] = own.vials;
    const { box } = await aBox(t.http, cast.admin);
    await t.http
      .post(`/api/v1/vials/${vial.id}/move`)
      .set(...bearer(cast.technician))
      .send({ boxId: box.id, row: 1, col: 1, reason: 'tidy', scan: vial.label });
    await aBooster(t.http, cast.doctor, own.batch.donorId, [vial.id]);
    expect((await thaw(t.http, cast.technician, vial.id, cast.technician2)).status).toBe(200);
    const custody = await t.http.get(`/api/v1/vials/${vial.id}/custody`).set(...bearer(cast.qa));
    expect(custody.status).toBe(200);
    const story = (custody.body.events as { kind: string; scanVerified: boolean | null }[]).map((e) => [
      e.kind,
      e.scanVerified,
    ]);
    expect(story[0]).toEqual(['COLLECTED', null]);
    expect(story.slice(-3)).toEqual([
      ['FROZEN', false],
      ['MOVED', true],
      ['THAWED', false],
    ]);
    expect(story.map(([kind]) => kind)).not.toContain('FORMULATED');
  });

  it('with SCAN_REQUIRED=true a hand-off without a scan is 422 SCAN_REQUIRED and changes nothing', async () => {
    const strict = await startTestAppWith({ scanRequired: true });
    try {
      const dose = await aDose(t.http, cast, batch.id, { cells: 1_000_000 });
      const refused = await strict.http
        .post(`/api/v1/doses/${dose.id}/dispatch`)
        .set(...bearer(cast.technician))
        .send({ dispatchedAt: now() });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('SCAN_REQUIRED');
      expect((await t.sql.query('SELECT status FROM doses WHERE id = $1', [dose.id])).rows[0].status).toBe(
        'FORMULATED',
      );
      const ok = await strict.http
        .post(`/api/v1/doses/${dose.id}/dispatch`)
        .set(...bearer(cast.technician))
        .send({ dispatchedAt: now(), scan: dose.label });
      expect(ok.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
