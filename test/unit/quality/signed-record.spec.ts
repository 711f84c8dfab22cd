import { recordHashOf } from '../../../src/auth/signature.service';
import { signedBatchRecord, QcResultFacts } from '../../../src/quality/domain/signed-record';
import { QcOutcome, QcTest } from '../../../src/quality/domain/specification';

const batch = { id: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a', din: 'X999926000042' };
const finalHarvest = {
  id: 'f1',
  performedAt: new Date('2026-11-22T00:00:00Z'),
  totalCells: 200_000_000,
  viabilityPct: 90,
  viableCells: 180_000_000,
};
const result = (id: string, test: QcTest, value: number): QcResultFacts => ({
  id,
  test,
  result: null,
  value,
  qualifier: null,
  unit: null,
  testedAt: new Date('2026-11-21T00:00:00Z'),
  outcome: QcOutcome.PASS,
  spec: { limit: 1 },
});

describe('the record a batch decision signs', () => {
  const viability = result('a', QcTest.VIABILITY, 92);
  const endotoxin = result('b', QcTest.ENDOTOXIN, 0.1);

  it('lists the counting results in test order with ISO times, whatever order they were read in', () => {
    const record = signedBatchRecord(batch, finalHarvest, [viability, endotoxin]);
    expect(record.qcResults.map((r) => r.test)).toEqual([QcTest.ENDOTOXIN, QcTest.VIABILITY]);
    expect(record.finalHarvest?.performedAt).toBe('2026-11-22T00:00:00.000Z');
    expect(recordHashOf(record)).toBe(
      recordHashOf(signedBatchRecord(batch, finalHarvest, [endotoxin, viability])),
    );
  });

  it('hashes differently when any signed value changes', () => {
    const signed = recordHashOf(signedBatchRecord(batch, finalHarvest, [viability, endotoxin]));
    const retyped = recordHashOf(
      signedBatchRecord(batch, finalHarvest, [{ ...viability, value: 91 }, endotoxin]),
    );
    const recounted = recordHashOf(
      signedBatchRecord(batch, { ...finalHarvest, totalCells: 1 }, [viability, endotoxin]),
    );
    expect(new Set([signed, retyped, recounted]).size).toBe(3);
  });
});
