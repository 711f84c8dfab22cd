import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { getInScopeOrThrow } from '../common/scope/get-in-scope';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { validationFailed } from '../common/validation/validation';
import { DonorsService } from '../donors/donors.service';
import { assessReceipt } from './domain/receipt-assessment';
import { CreateHarvestDto } from './dto/create-harvest.dto';
import { harvestView, HarvestViewDto } from './dto/harvest-view.dto';
import { RecordReceiptDto } from './dto/record-receipt.dto';
import { HarvestEntity } from './harvest.entity';
import { HarvestsRepository } from './harvests.repository';
import { ScanVerifier } from '../labels/scan-verifier.service';

/**
 * Tissue collection at the clinic and its receipt at the CPC (docs/domain.md, rule 2: no harvest without
 * treatment consent).
 *
 * For other modules:
 * - `lockReceivedForBatch(tx, harvestId)`: the harvest's row FOR UPDATE; 404 when missing, 409
 *   INVALID_TRANSITION unless RECEIVED. One batch per harvest is the database's batches_harvest_unique.
 */
@Injectable()
export class HarvestsService {
  constructor(
    private readonly harvests: HarvestsRepository,
    private readonly donors: DonorsService,
    private readonly transactions: Transactions,
    private readonly scans: ScanVerifier,
  ) {}

  async lockReceivedForBatch(tx: TransactionContext, harvestId: string): Promise<HarvestEntity> {
    const harvest = await this.harvests.lockById(harvestId, tx.manager);
    if (!harvest) throw notFound('Harvest', harvestId);
    if (harvest.status !== 'RECEIVED') {
      throw new DomainError(
        ErrorCode.INVALID_TRANSITION,
        `Harvest is ${harvest.status}; a batch needs a RECEIVED harvest`,
        {
          harvestId,
          status: harvest.status,
        },
      );
    }
    return harvest;
  }

  /** Who received the harvest at the CPC (null before receipt): a step on its batch's path for four eyes. */
  async receiverOf(harvestId: string, tx: TransactionContext): Promise<string | null> {
    return (await this.harvests.findById(harvestId, tx.manager))?.receivedBy ?? null;
  }

  async collect(user: AuthUser, dto: CreateHarvestDto): Promise<HarvestViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      // Holds the donor's row until commit, so a consent withdrawn at this moment is either seen or waits.
      const donor = await this.donors.requireTreatmentConsent(tx, user, dto.donorId);
      const harvest = await this.harvests.insert(
        {
          donorId: donor.id,
          clinicId: donor.clinicId,
          tissue: dto.tissue,
          volumeMl: dto.volumeMl,
          collectedAt: new Date(dto.collectedAt),
          collectedBy: user.id,
          createdAt: tx.now,
        },
        tx.manager,
      );
      tx.audit({
        action: 'harvest.collected',
        entityType: 'harvest',
        entityId: harvest.id,
        before: null,
        after: { ...harvest, donorCode: donor.code },
      });
      return harvestView(harvest, donor.code);
    });
  }

  async receive(user: AuthUser, harvestId: string, dto: RecordReceiptDto): Promise<HarvestViewDto> {
    return this.scans.recordingMismatch(user, () => this.receiveChecked(user, harvestId, dto));
  }

  private async receiveChecked(
    user: AuthUser,
    harvestId: string,
    dto: RecordReceiptDto,
  ): Promise<HarvestViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      // Two technicians scanning the same box: the second waits here, then finds it no longer COLLECTED.
      const harvest = await this.harvests.lockById(harvestId, tx.manager);
      if (!harvest) throw notFound('Harvest', harvestId);
      const receivedAt = new Date(dto.receivedAt);
      if (receivedAt.getTime() < harvest.collectedAt.getTime()) {
        throw validationFailed([
          { field: 'receivedAt', errors: ['receivedAt must not be before the harvest was collected'] },
        ]);
      }
      if (harvest.status !== 'COLLECTED') {
        throw new DomainError(
          ErrorCode.INVALID_TRANSITION,
          `Harvest is ${harvest.status} already; only a COLLECTED harvest is received`,
          {
            harvestId,
            status: harvest.status,
          },
        );
      }
      const subject = { subjectType: 'HARVEST' as const, subjectId: harvestId, itemLabel: harvestId };
      await this.scans.checkHandOff(tx, user, { handOff: 'HARVEST_RECEIPT', subject, scan: dto.scan });
      const assessment = assessReceipt({
        collectedAt: harvest.collectedAt,
        receivedAt,
        temperatureC: dto.temperatureC,
        intact: dto.intact,
      });
      const received = await this.harvests.recordReceipt(
        harvestId,
        {
          status: assessment.status,
          receivedAt,
          receivedBy: user.id,
          temperatureC: dto.temperatureC,
          intact: dto.intact,
          rejectionReason:
            assessment.rejections.length > 0 ? assessment.rejections.map((r) => r.message).join('; ') : null,
          deviations: assessment.deviations,
        },
        tx.manager,
      );
      if (!received)
        throw new DomainError(ErrorCode.INVALID_TRANSITION, 'Harvest was received already', { harvestId });
      const donorCode = await this.donorCode(received, tx);
      tx.audit({
        action: assessment.status === 'RECEIVED' ? 'harvest.received' : 'harvest.rejected',
        entityType: 'harvest',
        entityId: harvestId,
        before: { status: harvest.status },
        after: {
          ...received,
          donorCode,
          rejections: assessment.rejections,
          transitHours: assessment.transitHours,
        },
        reason: received.rejectionReason,
      });
      return harvestView(received, donorCode);
    });
  }

  async view(user: AuthUser, harvestId: string): Promise<HarvestViewDto> {
    const harvest = await getInScopeOrThrow(user, 'Harvest', harvestId, this.harvests.findById(harvestId));
    return harvestView(harvest, await this.donorCode(harvest));
  }

  /** The donors module answers the code; a harvest's donor always exists (harvests.donor_id references it). */
  private async donorCode(harvest: HarvestEntity, tx?: TransactionContext): Promise<string> {
    return (await this.donors.codeOf(harvest.donorId, tx?.manager)) as string;
  }
}
