import { Job } from 'bullmq';
import { ImportRunner } from '../../src/imports/import-runner.service';
import { ImportsProcessor } from '../../src/imports/imports.processor';
import { aBox, UnitRef } from '../support/bank-fixtures';
import { aJobsApp, JobsTestApp } from '../support/flag-fixtures';
import {
  aLegacyDin,
  importView,
  InventoryLine,
  inventoryFile,
  postInventory,
} from '../support/import-fixtures';
import { aClinic, Clinic } from '../support/people';
import { loginAsAdmin, unique } from '../support/test-app';

/**
 * docs/imports.md, "When a run dies": an import's chunks commit one by one with its checkpoint, so a run that
 * died between chunks is resumed where it stopped, a file whose import failed is simply run again, and runs
 * that meet (the same import twice, overlapping files at once) bank every vial exactly once. The app runs
 * without workers (APP_ROLE=api), and the tests drive the import's run themselves, as the job would.
 */
describe('legacy bank import: crashes, resumes and concurrent runs', () => {
  let t: JobsTestApp;
  let admin: string;
  let clinic: Clinic;
  let box: UnitRef;
  let runner: ImportRunner;

  beforeAll(async () => {
    t = await aJobsApp({ appRole: 'api', importChunkLines: 3 });
    admin = await loginAsAdmin(t.http);
    clinic = await aClinic(t.http);
    ({ box } = await aBox(t.http, admin, { rows: 20, cols: 20 }));
    runner = t.app.get(ImportRunner);
    // A crash on demand: inserting a vial whose label is listed here fails its chunk's transaction.
    await t.sql.query('CREATE TABLE test_import_faults (label text PRIMARY KEY)');
    await t.sql.query(`
      CREATE FUNCTION test_import_fault() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM test_import_faults WHERE label = NEW.label) THEN
          RAISE EXCEPTION 'simulated crash at vial %', NEW.label;
        END IF;
        RETURN NEW;
      END $$`);
    await t.sql.query(
      'CREATE TRIGGER test_import_fault BEFORE INSERT ON vials FOR EACH ROW EXECUTE FUNCTION test_import_fault()',
    );
  });

  afterAll(async () => {
    await t.dispose();
  });

  let nextPosition = 0;
  /** `count` vials of one donor and DIN, in fresh positions of the box. */
  function vials(count: number, din = aLegacyDin(), ref = unique('R-')): InventoryLine[] {
    return Array.from({ length: count }, (_, i) => {
      nextPosition += 1;
      return {
        clinicCode: clinic.code,
        externalRef: ref,
        birthYear: '1958',
        sex: 'M',
        din,
        vialLabel: `${din}-V${String(i + 1).padStart(3, '0')}`,
        frozenAt: '2018-03-01T09:00:00Z',
        cells: '2000000',
        boxId: box.id,
        row: String(Math.floor((nextPosition - 1) / 20) + 1),
        col: String(((nextPosition - 1) % 20) + 1),
      };
    });
  }

  async function bankedLabels(labels: readonly string[]): Promise<string[]> {
    const { rows } = await t.sql.query<{ label: string }>(
      'SELECT label FROM vials WHERE label = ANY($1) ORDER BY label',
      [labels],
    );
    return rows.map((row) => row.label);
  }

  async function start(file: string): Promise<string> {
    const response = await postInventory(t.http, admin, file, false);
    expect(response.status).toBe(202);
    return response.body.importId as string;
  }

  it('resumes a run that died between chunks where it stopped, banking nothing twice', async () => {
    const lines = vials(10);
    const labels = lines.map((l) => l.vialLabel);
    const id = await start(inventoryFile(lines));
    expect(await importView(t.http, admin, id)).toMatchObject({ state: 'PENDING', total: 10, processed: 0 });

    await t.sql.query('INSERT INTO test_import_faults VALUES ($1)', [labels[7]]);
    await expect(runner.run(id)).rejects.toThrow(/simulated crash/);
    // Two chunks of three committed with the checkpoint; the third died whole.
    expect(await importView(t.http, admin, id)).toMatchObject({ state: 'RUNNING', processed: 6, created: 6 });
    expect(await bankedLabels(labels)).toEqual(labels.slice(0, 6));

    await t.sql.query('DELETE FROM test_import_faults');
    expect(await runner.run(id)).toEqual({ state: 'COMPLETED', chunks: 2 });
    // Resumed from line 7: nothing read twice, so nothing skipped.
    expect(await importView(t.http, admin, id)).toMatchObject({
      state: 'COMPLETED',
      total: 10,
      processed: 10,
      created: 10,
      skipped: 0,
      errors: [],
    });
    expect(await bankedLabels(labels)).toEqual(labels);
  });

  it('marks an import FAILED after its last attempt; the same file run again completes it', async () => {
    const lines = vials(7);
    const labels = lines.map((l) => l.vialLabel);
    const file = inventoryFile(lines);
    const id = await start(file);
    await t.sql.query('INSERT INTO test_import_faults VALUES ($1)', [labels[4]]);
    const lastAttempt = { name: 'evaluate', data: { subjectId: id }, attemptsMade: 2, opts: { attempts: 3 } };
    await expect(t.app.get(ImportsProcessor).process(lastAttempt as unknown as Job)).rejects.toThrow(
      /simulated crash/,
    );
    const failed = await importView(t.http, admin, id);
    expect(failed).toMatchObject({ state: 'FAILED', processed: 3, created: 3 });
    expect(failed.failure).toMatch(/simulated crash/);

    await t.sql.query('DELETE FROM test_import_faults');
    const again = await start(file);
    expect(again).not.toBe(id);
    await runner.run(again);
    expect(await importView(t.http, admin, again)).toMatchObject({
      state: 'COMPLETED',
      total: 7,
      processed: 7,
      created: 4,
      skipped: 3,
    });
    expect(await bankedLabels(labels)).toEqual(labels);
  });

  it('the same file posted twice at once is one import, and two runs of it at once bank each vial once', async () => {
    const lines = vials(9);
    const labels = lines.map((l) => l.vialLabel);
    const file = inventoryFile(lines);
    const [a, b] = await Promise.all([start(file), start(file)]);
    expect(a).toBe(b);
    const results = await Promise.all([runner.run(a), runner.run(a)]);
    expect(results.map((r) => r.chunks).reduce((x, y) => x + y, 0)).toBe(3);
    expect(await importView(t.http, admin, a)).toMatchObject({
      state: 'COMPLETED',
      processed: 9,
      created: 9,
      skipped: 0,
    });
    expect(await bankedLabels(labels)).toEqual(labels);
  });

  it('two overlapping files imported at once converge: every vial once, created and skipped add up', async () => {
    const din = aLegacyDin();
    const ref = unique('R-');
    const lines = vials(12, din, ref);
    const labels = lines.map((l) => l.vialLabel);
    const [first, second] = await Promise.all([
      start(inventoryFile(lines.slice(0, 8))),
      start(inventoryFile(lines.slice(4))),
    ]);
    await Promise.all([runner.run(first), runner.run(second)]);
    const views = await Promise.all([importView(t.http, admin, first), importView(t.http, admin, second)]);
    expect(views.map((v) => v.state)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(views[0].errors).toEqual([]);
    expect(views[1].errors).toEqual([]);
    expect(views[0].created + views[1].created).toBe(12);
    expect(views[0].skipped + views[1].skipped).toBe(4);
    expect(await bankedLabels(labels)).toEqual(labels);
    const { rows } = await t.sql.query<{ donors: number; batches: number }>(
      `SELECT (SELECT count(*)::int FROM donors WHERE external_ref = $1) AS donors,
              (SELECT count(*)::int FROM batches WHERE din = $2) AS batches`,
      [ref, din],
    );
    expect(rows[0]).toEqual({ donors: 1, batches: 1 });
  });
});
