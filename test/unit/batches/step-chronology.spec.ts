import {
  chronologyViolation,
  describeEntry,
  TimelineEntry,
} from '../../../src/batches/domain/step-chronology';

const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 1, hour));

const timeline: TimelineEntry[] = [
  { kind: 'RECEIPT', at: at(0) },
  { kind: 'ISOLATION', at: at(2) },
  { kind: 'COUNT', id: 'c0', passageNumber: 0, at: at(4) },
  { kind: 'PASSAGE', id: 'p1', passageNumber: 1, at: at(6) },
  { kind: 'COUNT', id: 'c1', passageNumber: 1, at: at(8) },
  { kind: 'PASSAGE', id: 'p2', passageNumber: 2, at: at(10) },
];

describe('chronologyViolation', () => {
  it('accepts a next passage after everything before it, and equal times', () => {
    expect(chronologyViolation(timeline, { kind: 'PASSAGE', passageNumber: 3, at: at(12) })).toBeNull();
    expect(chronologyViolation(timeline, { kind: 'PASSAGE', passageNumber: 3, at: at(10) })).toBeNull();
  });

  it('refuses a passage before the seeding it ends', () => {
    expect(chronologyViolation(timeline, { kind: 'PASSAGE', passageNumber: 3, at: at(9) })).toEqual({
      neighbour: timeline[5],
      mustNotBe: 'before',
    });
  });

  it('refuses an isolation before the receipt', () => {
    const violation = chronologyViolation([timeline[0]], { kind: 'ISOLATION', at: at(-1) });
    expect(violation?.neighbour.kind).toBe('RECEIPT');
  });

  it('keeps a count inside its passage: after the seeding, before the next passage', () => {
    expect(chronologyViolation(timeline, { kind: 'COUNT', passageNumber: 1, at: at(7) })).toBeNull();
    expect(chronologyViolation(timeline, { kind: 'COUNT', passageNumber: 1, at: at(5) })?.mustNotBe).toBe(
      'before',
    );
    expect(chronologyViolation(timeline, { kind: 'COUNT', passageNumber: 1, at: at(11) })).toEqual({
      neighbour: timeline[5],
      mustNotBe: 'after',
    });
  });

  it('leaves out the entry a correction replaces, and still holds it between its neighbours', () => {
    // P1 moved to 7 h would pass its own old time, but must stay before the P1 count at 8 h and after the P0 count.
    expect(
      chronologyViolation(timeline, { kind: 'PASSAGE', id: 'new', passageNumber: 1, at: at(7) }, 'p1'),
    ).toBeNull();
    expect(
      chronologyViolation(timeline, { kind: 'PASSAGE', id: 'new', passageNumber: 1, at: at(9) }, 'p1')
        ?.neighbour,
    ).toBe(timeline[4]);
    expect(
      chronologyViolation(timeline, { kind: 'PASSAGE', id: 'new', passageNumber: 1, at: at(3) }, 'p1')
        ?.neighbour,
    ).toBe(timeline[2]);
  });

  it('puts the final harvest after every step', () => {
    expect(chronologyViolation(timeline, { kind: 'FINAL_HARVEST', at: at(9) })?.neighbour).toBe(timeline[5]);
    const withHarvest: TimelineEntry[] = [...timeline, { kind: 'FINAL_HARVEST', id: 'f', at: at(12) }];
    expect(
      chronologyViolation(withHarvest, { kind: 'PASSAGE', id: 'x', passageNumber: 2, at: at(13) }, 'p2')
        ?.mustNotBe,
    ).toBe('after');
  });

  it('names the neighbour for the error message', () => {
    expect(describeEntry(timeline[3])).toBe('passage P1');
    expect(describeEntry(timeline[2])).toBe('a cell count of P0');
  });
});
