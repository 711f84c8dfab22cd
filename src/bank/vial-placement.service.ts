import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { FieldError, validationFailed } from '../common/validation/validation';
import { BoxPlace, insideGrid, StorageKind, unsuitability } from './domain/storage-hierarchy';
import { StorageUnitsRepository } from './storage-units.repository';
import { Position, VialsRepository } from './vials.repository';

/** A position asked for, with the request field that named it (for 400 details). */
export interface RequestedPosition extends Position {
  field: string;
}

export interface Box extends BoxPlace {
  path: string;
}

/**
 * The checks every placement of a vial makes (freezing, moving), in the contract's order: the position lies
 * in its box (400), the box exists and is a box (404), the position is free (409 POSITION_OCCUPIED), and the
 * box is fit for the batch (422 STORAGE_UNSUITABLE). The unique index on live positions stays the referee.
 */
@Injectable()
export class VialPlacement {
  constructor(
    private readonly units: StorageUnitsRepository,
    private readonly vials: VialsRepository,
  ) {}

  /** The boxes named, by id: 400 for a position outside its box, 404 for an id that is not a box. */
  async boxesFor(
    positions: readonly RequestedPosition[],
    manager: EntityManager,
    alsoBoxIds: readonly string[] = [],
  ): Promise<Map<string, Box>> {
    const ids = [...new Set([...positions.map((p) => p.boxId), ...alsoBoxIds])];
    const boxes = new Map<string, Box>();
    for (const unit of await this.units.findByIds(ids, manager)) {
      if (unit.kind !== StorageKind.BOX || unit.rows === null || unit.cols === null) continue;
      boxes.set(unit.id, {
        id: unit.id,
        rows: unit.rows,
        cols: unit.cols,
        rootKind: unit.rootKind,
        biohazard: unit.biohazard,
        path: unit.path,
      });
    }
    const outside: FieldError[] = [];
    for (const p of positions) {
      const box = boxes.get(p.boxId);
      if (box && !insideGrid(box, p.row, p.col)) {
        outside.push({
          field: p.field,
          errors: [
            `row ${p.row}, col ${p.col} lies outside box ${box.id} (${box.rows} rows x ${box.cols} cols)`,
          ],
        });
      }
    }
    if (outside.length > 0) throw validationFailed(outside);
    const missing = ids.filter((id) => !boxes.has(id));
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.NOT_FOUND, `Box not found: ${missing.join(', ')}`, {
        id: missing[0],
        boxIds: missing,
      });
    }
    return boxes;
  }

  /** The box, or 404 when the id is not a box. */
  async requireBox(boxId: string, manager: EntityManager): Promise<Box> {
    const box = (await this.boxesFor([], manager, [boxId])).get(boxId);
    return box as Box;
  }

  /** 409 POSITION_OCCUPIED when any of the positions holds a vial in the tanks. */
  async assertFree(positions: readonly Position[], manager: EntityManager): Promise<void> {
    const taken = await this.vials.occupiedAmong(positions, manager);
    if (taken.length > 0) {
      throw new DomainError(
        ErrorCode.POSITION_OCCUPIED,
        `Position${taken.length > 1 ? 's' : ''} taken: ${taken.map((t) => `box ${t.boxId} row ${t.row} col ${t.col} (${t.label})`).join('; ')}`,
        { occupied: taken },
      );
    }
  }

  /** 422 STORAGE_UNSUITABLE unless every box stands in a liquid-nitrogen tank of the batch's biohazard class. */
  assertSuitable(boxes: Iterable<Box>, batchBiohazard: boolean): void {
    for (const box of boxes) {
      const problem = unsuitability(box, batchBiohazard);
      if (problem) {
        throw new DomainError(ErrorCode.STORAGE_UNSUITABLE, problem, {
          boxId: box.id,
          boxPath: box.path,
          rootKind: box.rootKind,
          boxBiohazard: box.biohazard,
          batchBiohazard,
        });
      }
    }
  }
}
