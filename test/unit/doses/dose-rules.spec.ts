import { identityMismatches } from '../../../src/doses/domain/bedside-identity';
import { receiptDeviations } from '../../../src/doses/domain/cold-chain';
import { doseLabel } from '../../../src/doses/domain/dose-label';

describe('dose labels', () => {
  it('labels fresh doses <DIN>-D01, -D02 and booster doses <DIN>-B01', () => {
    expect(doseLabel('X999926000001', 'FRESH', 1)).toBe('X999926000001-D01');
    expect(doseLabel('X999926000001', 'FRESH', 12)).toBe('X999926000001-D12');
    expect(doseLabel('X999926000001', 'BOOSTER', 3)).toBe('X999926000001-B03');
  });

  it('keeps labels unique past 99 doses instead of wrapping', () => {
    expect(doseLabel('X999926000001', 'FRESH', 100)).toBe('X999926000001-D100');
  });

  it('refuses an ordinal that is not a positive integer', () => {
    expect(() => doseLabel('X999926000001', 'FRESH', 0)).toThrow(RangeError);
  });
});

describe('cold chain at dose receipt', () => {
  it.each([2, 5, 8])('records no deviation at %s C', (temperatureC) => {
    expect(receiptDeviations(temperatureC)).toEqual([]);
  });

  it.each([1.9, 8.1, -20, 25])('records a temperature deviation at %s C', (temperatureC) => {
    expect(receiptDeviations(temperatureC)).toEqual([
      { type: 'TEMPERATURE_OUT_OF_RANGE', temperatureC, allowedMinC: 2, allowedMaxC: 8 },
    ]);
  });
});

describe('bedside identity check', () => {
  const dose = { donorCode: 'P-7KQ2M9', label: 'X999926000001-D01' };

  it('accepts the right wristband and the right label (scanner whitespace dropped)', () => {
    expect(identityMismatches({ patientCode: 'P-7KQ2M9', doseLabel: 'X999926000001-D01\n' }, dose)).toEqual(
      [],
    );
  });

  it('names the wristband when it belongs to another patient', () => {
    expect(identityMismatches({ patientCode: 'P-7KQ2M8', doseLabel: dose.label }, dose)).toEqual([
      'patientCode',
    ]);
  });

  it('names the label when another dose was scanned', () => {
    expect(identityMismatches({ patientCode: dose.donorCode, doseLabel: 'X999926000001-D02' }, dose)).toEqual(
      ['doseLabel'],
    );
  });

  it('does not forgive a different case', () => {
    expect(identityMismatches({ patientCode: 'p-7kq2m9', doseLabel: 'x999926000001-d01' }, dose)).toEqual([
      'patientCode',
      'doseLabel',
    ]);
  });
});
