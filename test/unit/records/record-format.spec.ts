import { documentHash, latestInstant } from '../../../src/records/domain/document-hash';
import {
  appliedLimit,
  besideOriginals,
  facilityTime,
  quantity,
  resultUnit,
} from '../../../src/records/domain/record-format';

describe('printed records: formats and order', () => {
  it('writes instants in the facility zone, to the minute', () => {
    expect(facilityTime(new Date('2026-11-24T06:05:00Z'), 'Asia/Tokyo')).toBe('2026-11-24 15:05');
    expect(facilityTime(new Date('2026-12-31T15:30:00Z'), 'Asia/Tokyo')).toBe('2027-01-01 00:30');
    expect(facilityTime(null, 'Asia/Tokyo')).toBe('—');
  });

  it('writes the limit applied as copied onto the result, and its unit', () => {
    expect(appliedLimit({ kind: 'NUMERIC', operator: '<', limit: 0.5, unit: 'EU/mL' })).toBe('< 0.5 EU/mL');
    expect(appliedLimit({ kind: 'NUMERIC', operator: '>=', limit: 100_000_000, unit: 'cells' })).toBe(
      '>= 100,000,000 cells',
    );
    expect(appliedLimit({ kind: 'CATEGORICAL', pass: 'NEGATIVE', allowPending: false })).toBe('NEGATIVE');
    expect(appliedLimit(null)).toBe('—');
    expect(resultUnit(null, { unit: '%' })).toBe('%');
    expect(resultUnit('EU/mL', { unit: 'EU/mL' })).toBe('EU/mL');
    expect(quantity(1_600_000)).toBe('1,600,000');
    expect(quantity(0.05)).toBe('0.05');
  });

  it('puts each correction right after the entry it replaces, a correction of a correction after that', () => {
    const entries = [
      { id: 'a', correctsId: null },
      { id: 'b', correctsId: null },
      { id: 'c', correctsId: 'a' },
      { id: 'd', correctsId: 'c' },
      { id: 'e', correctsId: 'x' },
    ];
    expect(besideOriginals(entries).map((e) => e.id)).toEqual(['a', 'c', 'd', 'b', 'e']);
  });

  it('hashes the same data to the same hash whatever the key order, and any changed value to another', () => {
    const at = new Date('2026-11-24T06:05:00Z');
    const one = { batch: { din: 'X999926000001', cells: 10 }, at };
    const same = { at: new Date(at.getTime()), batch: { cells: 10, din: 'X999926000001' } };
    expect(documentHash(same)).toBe(documentHash(one));
    expect(documentHash({ ...one, batch: { ...one.batch, cells: 11 } })).not.toBe(documentHash(one));
    expect(latestInstant({ a: [new Date(1), { b: new Date(5) }], c: new Date(3) })).toEqual(new Date(5));
  });
});
