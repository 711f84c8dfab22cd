import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock/clock';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { validationFailed } from '../common/validation/validation';
import { lotExpiredAt, lotExpiryInstant } from './domain/lot-expiry';
import { CreateMaterialLotDto } from './dto/create-material-lot.dto';
import { ListMaterialLotsQuery } from './dto/list-material-lots.query';
import { materialLotView, MaterialLotViewDto } from './dto/material-lot-view.dto';
import { MaterialLotRow, MaterialsRepository, UsageEventType } from './materials.repository';
import { createdAtCursor } from '../common/pagination/created-at-cursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A step's use of reagent lots, recorded in the step's own transaction. */
export interface MaterialUsage {
  lotIds: readonly string[];
  batchId: string;
  eventType: UsageEventType;
  /** The id of the isolation, passage, dose or cryopreservation that used the lots. */
  eventId: string;
  /** The step's time (performedAt, formulatedAt, frozenAt): expiry is judged then, not when it is typed in. */
  usedAt: Date;
}

/** A lot as a step's audit entry names it. */
export interface UsedLot {
  id: string;
  kind: string;
  lotNumber: string;
  expiresAt: Date;
}

/**
 * Reagent lots and their use (a lot's recall list is the read model's: src/read-model/recall.service.ts).
 *
 * For other modules: `recordUsage(tx, {lotIds, batchId, eventType, eventId, usedAt})`, called inside the
 * step's transaction after the step's row exists. No lots: nothing happens. A lot named twice: 400
 * (field materialLotIds); an unknown lot: 404 (details.lotIds names them); a lot expired at usedAt: 422
 * LOT_EXPIRED (details.lots). Returns the lots, in the order given, for the step's audit entry.
 */
@Injectable()
export class MaterialsService {
  constructor(
    private readonly lots: MaterialsRepository,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async recordUsage(tx: TransactionContext, usage: MaterialUsage): Promise<UsedLot[]> {
    const { lotIds } = usage;
    if (lotIds.length === 0) return [];
    if (new Set(lotIds).size !== lotIds.length) {
      throw validationFailed([
        { field: 'materialLotIds', errors: ['materialLotIds must not name a lot twice'] },
      ]);
    }
    if (!lotIds.every((id) => UUID.test(id))) {
      throw validationFailed([
        { field: 'materialLotIds', errors: ['each value in materialLotIds must be a UUID'] },
      ]);
    }
    const found = new Map((await this.lots.findByIds(lotIds, tx.manager)).map((lot) => [lot.id, lot]));
    const missing = lotIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.NOT_FOUND, `Material lot not found: ${missing.join(', ')}`, {
        id: missing[0],
        lotIds: missing,
      });
    }
    const lots = lotIds.map((id) => found.get(id) as MaterialLotRow);
    const expired = lots.filter((lot) => lotExpiredAt(lot.expiresAt, usage.usedAt));
    if (expired.length > 0) {
      throw new DomainError(
        ErrorCode.LOT_EXPIRED,
        `Material lot ${expired.map((lot) => `${lot.kind} ${lot.lotNumber}`).join(', ')} had expired at ${usage.usedAt.toISOString()}`,
        {
          usedAt: usage.usedAt,
          lots: expired.map((lot) => ({
            id: lot.id,
            kind: lot.kind,
            lotNumber: lot.lotNumber,
            expiresAt: lot.expiresAt,
          })),
        },
      );
    }
    await this.lots.insertUsages(usage, tx.manager);
    return lots.map((lot) => ({
      id: lot.id,
      kind: lot.kind,
      lotNumber: lot.lotNumber,
      expiresAt: lot.expiresAt,
    }));
  }

  async create(user: AuthUser, dto: CreateMaterialLotDto): Promise<MaterialLotViewDto> {
    const expiresAt = lotExpiryInstant(dto.expiresAt, this.env.facilityTz);
    if (!expiresAt)
      throw validationFailed([
        { field: 'expiresAt', errors: ['expiresAt is not a date or a zoned timestamp'] },
      ]);
    return this.transactions.run(actorOf(user), async (tx) => {
      // (kind, lotNumber) is unique in the database: a second registration is 409 DUPLICATE, even when racing.
      const lot = await this.lots.insert(
        {
          kind: dto.kind,
          name: dto.name,
          lotNumber: dto.lotNumber,
          expiresAt,
          createdBy: user.id,
          createdAt: tx.now,
        },
        tx.manager,
      );
      tx.audit({
        action: 'material_lot.registered',
        entityType: 'material_lot',
        entityId: lot.id,
        before: null,
        after: lot,
      });
      return materialLotView(lot, tx.now);
    });
  }

  async list(query: ListMaterialLotsQuery): Promise<Page<MaterialLotViewDto>> {
    const rows = await this.lots.list(
      { kind: query.kind ?? null, lotNumber: query.lotNumber ?? null },
      query.limit + 1,
      createdAtCursor(query.cursor),
    );
    const now = this.clock.now();
    return toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.id],
      (row) => materialLotView(row, now),
    );
  }

  /** A lot as the API shows it, or 404 (the recall list in src/read-model starts here). */
  async lotView(lotId: string): Promise<MaterialLotViewDto> {
    const lot = await this.lots.findById(lotId);
    if (!lot) throw notFound('Material lot', lotId);
    return materialLotView(lot, this.clock.now());
  }
}
