import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Response } from 'superagent';
import { aBox, cryopreserve, positionsIn } from '../support/bank-fixtures';
import { aReleasedBatch, aDose } from '../support/release-fixtures';
import { aCast, bearer, Cast } from '../support/people';
import { pdfPages } from '../support/pdf-text';
import {
  aBatchWithAFullRecord,
  aJapaneseClinicCast,
  DEVIATION_TEXT,
  JAPANESE_CLINIC,
  RecordedBatch,
} from '../support/record-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Text with every run of white space as one space: table cells wrap where their column ends. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

/** Collects a binary body (supertest parses only text and JSON by itself). */
function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('records that leave the system: batch record and certificate', () => {
  let t: TestApp;
  let cast: Cast;
  let full: RecordedBatch;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aJapaneseClinicCast(t.http);
    full = await aBatchWithAFullRecord(t.http, cast);
  });
  afterAll(async () => {
    await t.close();
  });

  const pdf = async (path: string, token: string): Promise<Buffer> => {
    const response = await t.http
      .get(path)
      .set(...bearer(token))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/pdf/);
    // RECORDS_SAMPLE_DIR=<folder> keeps the PDFs, for the sample pages in docs/records/.
    const keep = process.env.RECORDS_SAMPLE_DIR;
    if (keep)
      writeFileSync(
        join(keep, path.includes('certificate') ? 'certificate.pdf' : 'batch-record.pdf'),
        response.body as Buffer,
      );
    return response.body as Buffer;
  };

  it('answers the record as data, with a stable documentHash, and audits each generation with it', async () => {
    const first = await t.http
      .get(`/api/v1/batches/${full.batch.id}/record`)
      .set(...bearer(cast.qa))
      .expect(200);
    const second = await t.http
      .get(`/api/v1/batches/${full.batch.id}/record`)
      .set(...bearer(cast.admin))
      .expect(200);
    expect(first.body.documentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.body.documentHash).toBe(first.body.documentHash);
    for (const key of ['batch', 'donor', 'harvest', 'steps', 'materials', 'equipment', 'qc', 'deviations']) {
      expect(first.body).toHaveProperty(key);
    }
    for (const key of ['decision', 'doses', 'vials', 'custody', 'generatedAt'])
      expect(first.body).toHaveProperty(key);
    expect(first.body.donor.clinic.name).toBe(JAPANESE_CLINIC);
    expect(first.body.decision).toEqual(
      expect.objectContaining({ decision: 'RELEASE', signerName: cast.qa.name }),
    );
    expect(first.body.doses.map((d: { id: string }) => d.id)).toEqual([full.dose.id]);

    const audit = await t.http
      .get(`/api/v1/audit?entityId=${full.batch.id}&limit=200`)
      .set(...bearer(cast.qa))
      .expect(200);
    const generated = (audit.body.items as { action: string; after: Record<string, string> }[]).filter(
      (e) => e.action === 'document.generated',
    );
    expect(generated.map((e) => e.after)).toEqual([
      { document: 'BATCH_RECORD', documentHash: first.body.documentHash },
      { document: 'BATCH_RECORD', documentHash: first.body.documentHash },
    ]);
  });

  it('prints every section of the batch record, with the header, page n of m and the hash on every page', async () => {
    const record = await t.http
      .get(`/api/v1/batches/${full.batch.id}/record`)
      .set(...bearer(cast.qa))
      .expect(200);
    const hash = record.body.documentHash as string;
    const pages = await pdfPages(await pdf(`/api/v1/batches/${full.batch.id}/record.pdf`, cast.qa.token));
    pages.forEach((text, i) => {
      expect(text).toContain(full.batch.din);
      expect(text).toContain(record.body.batch.dinCheck);
      expect(text).toContain(full.batch.donorCode);
      expect(text).toContain(JAPANESE_CLINIC);
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text.replace(/\s/g, '')).toContain(hash);
    });
    const text = flat(pages.join('\n'));
    const sections = [
      '1. Identity',
      '2. Collection and receipt',
      '3. Processing steps',
      '4. Materials',
      '5. Equipment',
      '6. Quality control',
      '7. Deviations',
      '8. Decision and signature',
      '9. Doses and vials made',
      '10. Hand-offs',
    ];
    const positions = sections.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    // The correction sits right after the count it replaces, with its reason.
    const steps = text.slice(text.indexOf('3. Processing steps'), text.indexOf('4. Materials'));
    expect(steps).toMatch(
      /3,000,000[\s\S]*replaced by the correction below[\s\S]*3,200,000[\s\S]*CORRECTION/,
    );
    expect(steps.replace(/\s/g, '')).toContain('転記ミス');
    // QC: value, unit, the limit applied and the outcome; the failing result stays, beside its correction.
    const qc = text.slice(text.indexOf('6. Quality control'), text.indexOf('7. Deviations'));
    expect(qc).toMatch(/VIABILITY\s+65\s+%\s+>= 70 %\s+FAIL/);
    expect(qc).toMatch(/VIABILITY\s+88\s+%\s+>= 70 %\s+PASS/);
    expect(qc).toContain('OOS investigation: wrong dilution factor');
    expect(qc).toMatch(/ENDOTOXIN\s+<0.05\s+EU\/mL\s+< 0.5 EU\/mL\s+PASS/);
    const deviations = text.slice(text.indexOf('7. Deviations'), text.indexOf('8. Decision'));
    expect(deviations.replace(/\s/g, '')).toContain(DEVIATION_TEXT.replace(/\s/g, ''));
    expect(deviations).toContain('CLOSED');
    expect(deviations).toContain('no impact');
    expect(deviations).toContain(full.qa2.name);
    const decision = text.slice(text.indexOf('8. Decision'), text.indexOf('9. Doses'));
    expect(decision).toContain(`Signed by (printed name): ${cast.qa.name}`);
    expect(decision).toContain('Meaning: Released for clinical use');
    expect(decision).toMatch(/Date and time: \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Asia\/Tokyo\)/);
    expect(text).toContain(full.dose.label);
    const handOffs = text.slice(text.indexOf('10. Hand-offs'));
    expect(handOffs).toContain('0 of 1 hand-offs verified by a scan of the label');
    expect(handOffs).toMatch(/Unverified hand-offs[\s\S]*TISSUE_RECEIVED/);
  });

  it('gives the same bytes and text for the same data, and another hash once a value changes', async () => {
    const path = `/api/v1/batches/${full.batch.id}/record.pdf`;
    const [a, b] = [await pdf(path, cast.qa.token), await pdf(path, cast.admin)];
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
    expect(await pdfPages(a)).toEqual(await pdfPages(b));

    const before = await t.http
      .get(`/api/v1/batches/${full.batch.id}/record`)
      .set(...bearer(cast.qa))
      .expect(200);
    await t.http
      .post(`/api/v1/doses/${full.dose.id}/dispatch`)
      .set(...bearer(cast.technician))
      .send({ dispatchedAt: new Date().toISOString() })
      .expect(200);
    const after = await t.http
      .get(`/api/v1/batches/${full.batch.id}/record`)
      .set(...bearer(cast.qa))
      .expect(200);
    expect(after.body.documentHash).not.toBe(before.body.documentHash);
    const c = await pdf(path, cast.qa.token);
    expect(createHash('sha256').update(c).digest('hex')).not.toBe(
      createHash('sha256').update(a).digest('hex'),
    );
    expect((await pdfPages(c)).join('\n')).toContain('DOSE_DISPATCHED');
  });

  it('lists the hand-offs from the custody trail and its scans: n of m verified, the unverified in the PDF', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const { box } = await aBox(t.http, cast.admin);
    const [p1, p2] = positionsIn(box, 2);
    // The first tube is scanned as it goes in (the batch's DIN is accepted for a tube), the second is not.
    const frozen = await cryopreserve(t.http, cast.technician, batch.id, [p1, p2], {
      vials: [
        { cells: 5_000_000, boxId: p1.boxId, row: p1.row, col: p1.col, scan: batch.din },
        { cells: 5_000_000, boxId: p2.boxId, row: p2.row, col: p2.col },
      ],
    });
    expect(frozen.status).toBe(201);
    const [scanned, unscanned] = frozen.body.vials;
    // The unscanned vial is then moved, with a scan of its label.
    await t.http
      .post(`/api/v1/vials/${unscanned.id}/move`)
      .set(...bearer(cast.technician))
      .send({ boxId: box.id, row: 2, col: 1, reason: 'tidy', scan: unscanned.label })
      .expect(200);

    const record = await t.http
      .get(`/api/v1/batches/${batch.id}/record`)
      .set(...bearer(cast.qa))
      .expect(200);
    const custody = (
      record.body.custody as { event: string; item: string; by: string; verified: boolean }[]
    ).map((c) => [c.event, c.item, c.verified]);
    expect(custody).toEqual([
      ['TISSUE_RECEIVED', batch.din, false],
      ['VIAL_FROZEN', scanned.label, true],
      ['VIAL_FROZEN', unscanned.label, false],
      ['VIAL_MOVED', unscanned.label, true],
    ]);
    expect(record.body.custodySummary).toEqual({ handOffs: 4, verified: 2 });
    expect(record.body.custody[1].by).toBe(cast.technician.id);

    const text = flat(
      (await pdfPages(await pdf(`/api/v1/batches/${batch.id}/record.pdf`, cast.qa.token))).join('\n'),
    );
    const handOffs = text.slice(text.indexOf('10. Hand-offs'));
    expect(handOffs).toContain('2 of 4 hand-offs verified by a scan of the label');
    const unverified = handOffs.slice(handOffs.indexOf('Unverified hand-offs'));
    expect(unverified).toContain('TISSUE_RECEIVED');
    expect(unverified).toMatch(new RegExp(`VIAL_FROZEN\\s+${unscanned.label}\\s+${cast.technician.name}`));
    expect(unverified).not.toContain(scanned.label);
    expect(unverified).not.toContain('VIAL_MOVED');
  });

  it("prints the dose's certificate for its clinic's doctor, bound to the batch record's hash", async () => {
    const record = await t.http
      .get(`/api/v1/batches/${full.batch.id}/record`)
      .set(...bearer(cast.qa))
      .expect(200);
    const pages = await pdfPages(
      await pdf(`/api/v1/doses/${full.dose.id}/certificate.pdf`, cast.doctor.token),
    );
    const text = flat(pages.join('\n'));
    expect(text).toContain('Certificate of analysis');
    expect(text).toContain(full.dose.label);
    expect(text).toContain(JAPANESE_CLINIC);
    expect(text).toContain('10,000,000');
    expect(text).toContain('2 mL');
    expect(text).toMatch(/VIABILITY\s+88\s+%\s+>= 70 %\s+PASS/);
    expect(text).not.toMatch(/VIABILITY\s+65/);
    expect(text).toContain(`Signed by (printed name): ${cast.qa.name}`);
    expect(text.replace(/\s/g, '')).toContain(record.body.documentHash);
    expect(text).toContain(`Page 1 of ${pages.length}`);

    const audit = await t.http
      .get(`/api/v1/audit?entityId=${full.batch.id}&limit=200`)
      .set(...bearer(cast.qa))
      .expect(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'document.generated',
        actorId: cast.doctor.id,
        after: expect.objectContaining({ document: 'CERTIFICATE_PDF', doseId: full.dose.id }),
      }),
    );
  });

  it('hides another clinic’s dose from a doctor (404) and holds the roles (403)', async () => {
    const other = await aCast(t.http);
    const otherBatch = await aReleasedBatch(t.http, other);
    const otherDose = await aDose(t.http, other, otherBatch.id);
    const hidden = await t.http
      .get(`/api/v1/doses/${otherDose.id}/certificate.pdf`)
      .set(...bearer(cast.doctor))
      .expect(404);
    expect(hidden.body.code).toBe('NOT_FOUND');
    expect(
      (await t.http.get(`/api/v1/doses/${NO_SUCH}/certificate.pdf`).set(...bearer(cast.qa))).status,
    ).toBe(404);
    expect((await t.http.get(`/api/v1/batches/${NO_SUCH}/record`).set(...bearer(cast.qa))).status).toBe(404);
    expect((await t.http.get(`/api/v1/batches/${NO_SUCH}/record.pdf`).set(...bearer(cast.qa))).status).toBe(
      404,
    );
    const badId = await t.http
      .get('/api/v1/batches/not-a-uuid/record')
      .set(...bearer(cast.qa))
      .expect(400);
    expect(badId.body.code).toBe('VALIDATION_FAILED');

    for (const [path, who] of [
      [`/api/v1/batches/${full.batch.id}/record`, cast.doctor],
      [`/api/v1/batches/${full.batch.id}/record.pdf`, cast.doctor],
      [`/api/v1/batches/${full.batch.id}/record.pdf`, cast.technician],
      [`/api/v1/doses/${full.dose.id}/certificate.pdf`, cast.technician],
    ] as const) {
      const refused = await t.http.get(path).set(...bearer(who));
      expect(refused.status).toBe(403);
    }
    expect((await t.http.get(`/api/v1/batches/${full.batch.id}/record`)).status).toBe(401);
  });
});
