import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../src/common/transaction/actor';
import { TransactionContext, Transactions } from '../../src/common/transaction/transactions.service';
import { aClinic, Clinic } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The one way business writes reach the database: atomic with their audit entry, retried on lost races. */
describe('the transaction helper', () => {
  let t: TestApp;
  let transactions: Transactions;

  beforeAll(async () => {
    t = await startTestApp();
    transactions = t.app.get(Transactions);
  });
  afterAll(async () => {
    await t.close();
  });

  const auditActions = async (entityId: string): Promise<string[]> =>
    (
      await t.sql.query('SELECT action FROM audit_entries WHERE entity_id = $1 ORDER BY seq', [entityId])
    ).rows.map((row: { action: string }) => row.action);

  const rename = (tx: TransactionContext, clinic: Clinic, name: string) =>
    tx.query('UPDATE clinics SET name = $2 WHERE id = $1', [clinic.id, name]);

  it('writes nothing, audit included, when the command fails', async () => {
    const clinic = await aClinic(t.http);
    await expect(
      transactions.run(SYSTEM_ACTOR, async (tx) => {
        await rename(tx, clinic, 'Never');
        tx.audit({ action: 'clinic.renamed', entityType: 'clinic', entityId: clinic.id });
        throw new Error('rule says no');
      }),
    ).rejects.toThrow('rule says no');
    const row = await t.sql.query('SELECT name FROM clinics WHERE id = $1', [clinic.id]);
    expect(row.rows[0].name).toBe(clinic.name);
    expect(await auditActions(clinic.id)).toEqual(['clinic.created']);
  });

  it('retries the whole transaction after a serialization failure, keeping only the last attempt', async () => {
    const entityId = randomUUID();
    let attempts = 0;
    const result = await transactions.run(SYSTEM_ACTOR, async (tx) => {
      attempts += 1;
      tx.audit({ action: `attempt.${attempts}`, entityType: 'probe', entityId });
      if (attempts === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toBe(2);
    expect(await auditActions(entityId)).toEqual(['attempt.2']);
  });

  it('gives up after a bounded number of attempts', async () => {
    let attempts = 0;
    await expect(
      transactions.run(SYSTEM_ACTOR, async () => {
        attempts += 1;
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(attempts).toBe(5);
  });

  it('survives a real deadlock: both crossing commands commit, each with one audit entry', async () => {
    const [first, second] = [await aClinic(t.http), await aClinic(t.http)];
    const crossing = (a: Clinic, b: Clinic, name: string) =>
      transactions.run(SYSTEM_ACTOR, async (tx) => {
        await rename(tx, a, name);
        await sleep(300);
        await rename(tx, b, name);
        tx.audit({ action: 'clinics.renamed', entityType: 'clinic', entityId: a.id, after: { name } });
      });
    await Promise.all([crossing(first, second, 'Crossed A'), crossing(second, first, 'Crossed B')]);
    expect(await auditActions(first.id)).toEqual(['clinic.created', 'clinics.renamed']);
    expect(await auditActions(second.id)).toEqual(['clinic.created', 'clinics.renamed']);
  });
});
