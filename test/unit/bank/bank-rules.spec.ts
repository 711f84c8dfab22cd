import {
  boosterDoseCells,
  boosterDoseExpiry,
  viabilityLimitOf,
  vialsBelowViabilitySpec,
} from '../../../src/bank/domain/booster-dose';
import { reconcile } from '../../../src/bank/domain/reconciliation';
import {
  insideGrid,
  nestingProblem,
  shapeProblems,
  StorageKind,
  unsuitability,
} from '../../../src/bank/domain/storage-hierarchy';
import { vialLabel } from '../../../src/bank/domain/vial-label';
import {
  canTransitionVial,
  transitionVial,
  VialAction,
  VialStatus,
} from '../../../src/bank/domain/vial-state-machine';
import { DomainError } from '../../../src/common/errors/domain-error';
import { DEFAULT_SPECIFICATION } from '../../../src/quality/domain/specification';

describe('the storage hierarchy', () => {
  it('asks a BOX for rows, cols and a parent, and nothing of the kind of a tank', () => {
    expect(
      shapeProblems({ kind: StorageKind.BOX })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['cols', 'parentId', 'rows']);
    expect(shapeProblems({ kind: StorageKind.BOX, parentId: 'p', rows: 9, cols: 9 })).toEqual([]);
    expect(shapeProblems({ kind: StorageKind.TANK, biohazard: true })).toEqual([]);
    expect(shapeProblems({ kind: StorageKind.TANK, parentId: 'p', rows: 2 }).map((p) => p.field)).toEqual([
      'parentId',
      'rows',
    ]);
    expect(
      shapeProblems({ kind: StorageKind.RACK, parentId: 'p', biohazard: false }).map((p) => p.field),
    ).toEqual(['biohazard']);
  });

  it('stands racks in tanks and freezers, boxes in racks, tanks and freezers, and nothing in a box', () => {
    expect(nestingProblem(StorageKind.RACK, StorageKind.TANK)).toBeNull();
    expect(nestingProblem(StorageKind.RACK, StorageKind.FREEZER)).toBeNull();
    expect(nestingProblem(StorageKind.BOX, StorageKind.RACK)).toBeNull();
    expect(nestingProblem(StorageKind.BOX, StorageKind.TANK)).toBeNull();
    expect(nestingProblem(StorageKind.RACK, StorageKind.RACK)).toMatch(/cannot stand/);
    expect(nestingProblem(StorageKind.BOX, StorageKind.BOX)).toMatch(/cannot stand/);
  });

  it('stores vials only in liquid-nitrogen tanks of the batch biohazard class (rules 1, 13)', () => {
    const box = { id: 'b', rows: 9, cols: 9, rootKind: StorageKind.TANK, biohazard: false };
    expect(unsuitability(box, false)).toBeNull();
    expect(unsuitability(box, true)).toMatch(/biohazard tank/);
    expect(unsuitability({ ...box, biohazard: true }, true)).toBeNull();
    expect(unsuitability({ ...box, biohazard: true }, false)).toMatch(/Only biohazard/);
    expect(unsuitability({ ...box, rootKind: StorageKind.FREEZER }, false)).toMatch(/FREEZER/);
  });

  it('knows the positions of a grid', () => {
    expect(insideGrid({ rows: 2, cols: 3 }, 2, 3)).toBe(true);
    expect(insideGrid({ rows: 2, cols: 3 }, 3, 1)).toBe(false);
    expect(insideGrid({ rows: 2, cols: 3 }, 1, 0)).toBe(false);
  });
});

describe('vial states', () => {
  it('follows STORED -> RESERVED -> THAWED and STORED|RESERVED -> DISCARDED', () => {
    expect(transitionVial(VialStatus.STORED, VialAction.RESERVE)).toBe(VialStatus.RESERVED);
    expect(transitionVial(VialStatus.RESERVED, VialAction.THAW)).toBe(VialStatus.THAWED);
    expect(transitionVial(VialStatus.STORED, VialAction.DISCARD)).toBe(VialStatus.DISCARDED);
    expect(transitionVial(VialStatus.RESERVED, VialAction.DISCARD)).toBe(VialStatus.DISCARDED);
    expect(transitionVial(VialStatus.RESERVED, VialAction.MOVE)).toBe(VialStatus.RESERVED);
  });

  it('refuses anything else with 409 INVALID_TRANSITION, a STORED vial thawed directly included', () => {
    for (const [status, action] of [
      [VialStatus.STORED, VialAction.THAW],
      [VialStatus.RESERVED, VialAction.RESERVE],
      [VialStatus.THAWED, VialAction.DISCARD],
      [VialStatus.THAWED, VialAction.MOVE],
      [VialStatus.DISCARDED, VialAction.RESERVE],
    ] as const) {
      expect(canTransitionVial(status, action)).toBe(false);
      expect(() => transitionVial(status, action)).toThrow(DomainError);
    }
    expect(() => transitionVial(VialStatus.STORED, VialAction.THAW)).toThrow(
      /reserve it for a booster first/,
    );
  });

  it('labels vials <DIN>-V001 onwards', () => {
    expect(vialLabel('X999926000042', 1)).toBe('X999926000042-V001');
    expect(vialLabel('X999926000042', 1234)).toBe('X999926000042-V1234');
    expect(() => vialLabel('X999926000042', 0)).toThrow(RangeError);
  });
});

describe('booster doses (rule 13)', () => {
  const vials = [
    { id: 'a', label: 'A', cells: 3_333_333, postThawViabilityPct: 77.77 },
    { id: 'b', label: 'B', cells: 5_000_000, postThawViabilityPct: 69.99 },
  ];

  it('holds the sum of each vial floor(cells * viability / 100)', () => {
    expect(boosterDoseCells(vials)).toBe(2_592_333 + 3_499_500);
  });

  it("judges post-thaw viability by the specification's VIABILITY limit (>= 70 %)", () => {
    expect(viabilityLimitOf(DEFAULT_SPECIFICATION)).toBe(70);
    expect(vialsBelowViabilitySpec(DEFAULT_SPECIFICATION, vials).map((v) => v.id)).toEqual(['b']);
    expect(
      vialsBelowViabilitySpec(DEFAULT_SPECIFICATION, [{ ...vials[1], postThawViabilityPct: 70 }]),
    ).toEqual([]);
  });

  it('expires after the booster shelf life', () => {
    expect(boosterDoseExpiry(new Date('2026-01-01T00:00:00Z'), 6).toISOString()).toBe(
      '2026-01-01T06:00:00.000Z',
    );
  });
});

describe('reconciliation of a box', () => {
  it('sorts scanned labels into matched, missing, unexpected and misplaced', () => {
    const result = reconcile(
      'box',
      ['V1', 'V4', 'GHOST', 'V1'],
      [
        { label: 'V1', boxId: 'box', row: 1, col: 1 },
        { label: 'V2', boxId: 'box', row: 1, col: 2 },
        { label: 'V4', boxId: 'other', row: 2, col: 3 },
      ],
    );
    expect(result).toEqual({
      matched: ['V1'],
      missing: ['V2'],
      unexpected: ['GHOST'],
      misplaced: [{ label: 'V4', recordedBoxId: 'other', recordedRow: 2, recordedCol: 3 }],
    });
  });
});
