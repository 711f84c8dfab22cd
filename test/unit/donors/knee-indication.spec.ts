import { indicationOf, KneeIndication } from '../../../src/donors/domain/knee-indication';

describe('the indication of a Kellgren-Lawrence grade', () => {
  it.each([
    [0, KneeIndication.NOT_INDICATED],
    [1, KneeIndication.EXPECTED_BENEFIT],
    [2, KneeIndication.EXPECTED_BENEFIT],
    [3, KneeIndication.EXPECTED_BENEFIT],
    [4, KneeIndication.PALLIATIVE],
  ])('grade %i is %s', (grade, indication) => {
    expect(indicationOf(grade)).toBe(indication);
  });

  it.each([-1, 5, 2.5, Number.NaN])('refuses %p', (grade) => {
    expect(() => indicationOf(grade)).toThrow(RangeError);
  });
});
