/**
 * The storage hierarchy: liquid-nitrogen tanks and -80 C freezers stand at the root, racks in them, boxes in
 * racks (or straight in a tank or freezer); a box has a grid of rows x cols positions. A root carries the
 * biohazard class, which everything inside it inherits.
 */
export enum StorageKind {
  TANK = 'TANK',
  FREEZER = 'FREEZER',
  RACK = 'RACK',
  BOX = 'BOX',
}

export const ROOT_KINDS: readonly StorageKind[] = [StorageKind.TANK, StorageKind.FREEZER];

/** Where each kind may stand (the database's storage_units_nesting check says the same). */
const PARENT_KINDS: Record<StorageKind, readonly StorageKind[]> = {
  [StorageKind.TANK]: [],
  [StorageKind.FREEZER]: [],
  [StorageKind.RACK]: [StorageKind.TANK, StorageKind.FREEZER],
  [StorageKind.BOX]: [StorageKind.TANK, StorageKind.FREEZER, StorageKind.RACK],
};

export const MAX_GRID = 20;

export interface StorageUnitShape {
  kind: StorageKind;
  parentId?: string;
  rows?: number;
  cols?: number;
  biohazard?: boolean;
}

export interface ShapeProblem {
  field: 'parentId' | 'rows' | 'cols' | 'biohazard';
  error: string;
}

/** What the request itself gets wrong, before any look-up (400 VALIDATION_FAILED). */
export function shapeProblems(unit: StorageUnitShape): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const root = isRootKind(unit.kind);
  if (root && unit.parentId !== undefined) {
    problems.push({ field: 'parentId', error: `a ${unit.kind} stands at the root and has no parentId` });
  }
  if (!root && unit.parentId === undefined) {
    problems.push({
      field: 'parentId',
      error: `a ${unit.kind} needs a parentId (${PARENT_KINDS[unit.kind].join(', ')})`,
    });
  }
  if (!root && unit.biohazard !== undefined) {
    problems.push({
      field: 'biohazard',
      error: 'biohazard is set on a TANK or FREEZER and inherited by what stands in it',
    });
  }
  for (const field of ['rows', 'cols'] as const) {
    if (unit.kind === StorageKind.BOX && unit[field] === undefined) {
      problems.push({ field, error: `a BOX needs ${field} (1..${MAX_GRID})` });
    }
    if (unit.kind !== StorageKind.BOX && unit[field] !== undefined) {
      problems.push({ field, error: `only a BOX has ${field}` });
    }
  }
  return problems;
}

/** Why `kind` may not stand in `parentKind`, or null when it may (422 STORAGE_UNSUITABLE). */
export function nestingProblem(kind: StorageKind, parentKind: StorageKind): string | null {
  return PARENT_KINDS[kind].includes(parentKind)
    ? null
    : `A ${kind} cannot stand in a ${parentKind}; it stands in ${PARENT_KINDS[kind].join(' or ') || 'nothing'}`;
}

export function isRootKind(kind: StorageKind): boolean {
  return ROOT_KINDS.includes(kind);
}

/** A box as placements see it: its grid and the root it stands in. */
export interface BoxPlace {
  id: string;
  rows: number;
  cols: number;
  rootKind: StorageKind;
  biohazard: boolean;
}

/**
 * Why a batch's vials may not go into this box, or null when they may (docs/domain.md, rules 1 and 13): banked cells
 * live in liquid-nitrogen vapour, not a -80 C freezer, and a reactive donor's vials only in biohazard tanks,
 * other vials never.
 */
export function unsuitability(box: BoxPlace, batchBiohazard: boolean): string | null {
  if (box.rootKind !== StorageKind.TANK) {
    return 'Banked cells are stored in a liquid-nitrogen TANK, not a -80 C FREEZER';
  }
  if (box.biohazard !== batchBiohazard) {
    return batchBiohazard
      ? "A biohazard batch's vials go only into a biohazard tank"
      : 'Only biohazard vials go into a biohazard tank';
  }
  return null;
}

export function insideGrid(box: Pick<BoxPlace, 'rows' | 'cols'>, row: number, col: number): boolean {
  return row >= 1 && row <= box.rows && col >= 1 && col <= box.cols;
}
