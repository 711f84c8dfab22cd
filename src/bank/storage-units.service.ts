import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { validationFailed } from '../common/validation/validation';
import { isRootKind, nestingProblem, shapeProblems, StorageKind } from './domain/storage-hierarchy';
import { CreateStorageUnitDto } from './dto/create-storage-unit.dto';
import {
  FreePositionDto,
  freePositionView,
  storageUnitSummary,
  StorageUnitSummaryDto,
  storageUnitView,
  StorageUnitViewDto,
} from './dto/storage-unit-view.dto';
import { StorageUnitRow, StorageUnitsRepository } from './storage-units.repository';

/**
 * The storage hierarchy kept by administrators. A unit is never moved or changed once created (vials record
 * where they stood), so its root, root kind and biohazard class are copied onto it when it is created.
 */
@Injectable()
export class StorageUnitsService {
  constructor(
    private readonly units: StorageUnitsRepository,
    private readonly transactions: Transactions,
  ) {}

  /** Checks, in order: shape (400), parent exists (404), nesting (422 STORAGE_UNSUITABLE), name among siblings (409). */
  async create(user: AuthUser, dto: CreateStorageUnitDto): Promise<StorageUnitSummaryDto> {
    const problems = shapeProblems(dto);
    if (problems.length > 0)
      throw validationFailed(problems.map((p) => ({ field: p.field, errors: [p.error] })));
    return this.transactions.run(actorOf(user), async (tx) => {
      const id = randomUUID();
      const name = dto.name.trim();
      let placement: {
        parentKind: StorageKind | null;
        rootId: string;
        rootKind: StorageKind;
        biohazard: boolean;
        path: string;
      };
      if (isRootKind(dto.kind)) {
        placement = {
          parentKind: null,
          rootId: id,
          rootKind: dto.kind,
          biohazard: dto.biohazard ?? false,
          path: name,
        };
      } else {
        const parent = await this.units.findById(dto.parentId as string, tx.manager);
        if (!parent) throw notFound('Storage unit', dto.parentId);
        const problem = nestingProblem(dto.kind, parent.kind);
        if (problem) {
          throw new DomainError(ErrorCode.STORAGE_UNSUITABLE, problem, {
            kind: dto.kind,
            parentKind: parent.kind,
          });
        }
        placement = {
          parentKind: parent.kind,
          rootId: parent.rootId,
          rootKind: parent.rootKind,
          biohazard: parent.biohazard,
          path: `${parent.path} / ${name}`,
        };
      }
      const unit = await this.units.insert(
        {
          id,
          name,
          kind: dto.kind,
          parentId: dto.parentId ?? null,
          ...placement,
          rows: dto.rows ?? null,
          cols: dto.cols ?? null,
          createdBy: user.id,
          createdAt: tx.now,
        },
        tx.manager,
      );
      const view = storageUnitSummary(unit);
      tx.audit({
        action: 'storage_unit.created',
        entityType: 'storage_unit',
        entityId: unit.id,
        before: null,
        after: view,
      });
      return view;
    });
  }

  /** The unit, or null (for modules that keep facts about units: docs/environment.md). */
  find(unitId: string, manager?: EntityManager): Promise<StorageUnitRow | null> {
    return this.units.findById(unitId, manager);
  }

  /**
   * For a change of a unit inside the caller's transaction (PATCH /storage-units/:id, docs/environment.md):
   * the unit locked, or 404.
   */
  async lockForChange(tx: TransactionContext, unitId: string): Promise<StorageUnitRow> {
    const unit = await this.units.lockById(unitId, tx.manager);
    if (!unit) throw notFound('Storage unit', unitId);
    return unit;
  }

  /**
   * Renames a unit the caller locked: its path and those below it follow (a sibling of that name is 409
   * DUPLICATE, by the storage_units_sibling_name index). The caller audits the change with its own.
   */
  async rename(
    tx: TransactionContext,
    unit: StorageUnitRow,
    newName: string,
  ): Promise<StorageUnitSummaryDto> {
    const name = newName.trim();
    if (name === unit.name) return storageUnitSummary(unit);
    const parentPath = unit.path.slice(0, unit.path.length - unit.name.length);
    await this.units.rename(unit, name, `${parentPath}${name}`, tx.manager);
    return storageUnitSummary((await this.units.findById(unit.id, tx.manager)) as StorageUnitRow);
  }

  async view(unitId: string): Promise<StorageUnitViewDto> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw notFound('Storage unit', unitId);
    const [children, occupied] = await Promise.all([
      this.units.childrenOf(unitId),
      unit.kind === StorageKind.BOX ? this.units.occupiedPositions(unitId) : Promise.resolve(null),
    ]);
    return storageUnitView(unit, children, occupied);
  }

  async freePositions(unitId: string, count: number): Promise<FreePositionDto[]> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw notFound('Storage unit', unitId);
    return (await this.units.freePositions(unitId, count)).map(freePositionView);
  }
}
