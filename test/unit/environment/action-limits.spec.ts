import {
  ANNEX1_ACTION_LIMITS,
  GRADES,
  judgeSample,
  SAMPLING_METHODS,
} from '../../../src/environment/domain/action-limits';

describe('Annex 1 action limits', () => {
  it('makes any growth in grade A an action, for every method', () => {
    for (const method of SAMPLING_METHODS) {
      expect(judgeSample(0, ANNEX1_ACTION_LIMITS.A[method])).toBe('WITHIN');
      expect(judgeSample(1, ANNEX1_ACTION_LIMITS.A[method])).toBe('ACTION');
    }
  });

  it.each([
    ['B', 'ACTIVE_AIR', 10],
    ['B', 'SETTLE_PLATE', 5],
    ['B', 'CONTACT_PLATE', 5],
    ['B', 'GLOVE_PRINT', 5],
    ['C', 'ACTIVE_AIR', 100],
    ['C', 'SETTLE_PLATE', 50],
    ['C', 'CONTACT_PLATE', 25],
    ['D', 'ACTIVE_AIR', 200],
    ['D', 'SETTLE_PLATE', 100],
    ['D', 'CONTACT_PLATE', 50],
  ] as const)('grade %s %s: %i CFU is an action, one less is within', (grade, method, limit) => {
    expect(ANNEX1_ACTION_LIMITS[grade][method]).toBe(limit);
    expect(judgeSample(limit - 1, ANNEX1_ACTION_LIMITS[grade][method])).toBe('WITHIN');
    expect(judgeSample(limit, ANNEX1_ACTION_LIMITS[grade][method])).toBe('ACTION');
  });

  it('sets no glove-print limit in grades C and D', () => {
    expect(ANNEX1_ACTION_LIMITS.C.GLOVE_PRINT).toBeNull();
    expect(ANNEX1_ACTION_LIMITS.D.GLOVE_PRINT).toBeNull();
    expect(judgeSample(10_000, null)).toBe('WITHIN');
  });

  it('has a limit, or an explicit none, for every grade and method', () => {
    for (const grade of GRADES)
      expect(Object.keys(ANNEX1_ACTION_LIMITS[grade]).sort()).toEqual([...SAMPLING_METHODS].sort());
  });
});
