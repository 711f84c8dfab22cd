import { Injectable } from '@nestjs/common';
import { BatchesService } from '../batches/batches.service';
import { notFound } from '../common/errors/domain-error';
import { AuthUser } from '../common/transaction/auth-user';
import { CUSTODY_ACTIONS, custodyTimeline } from './custody-timeline';
import { CustodyEntryRow, CustodyRepository } from './custody.repository';
import { CustodyDto } from './dto/custody-view.dto';

/**
 * Custody timelines of a dose or a vial (docs/labels.md, "Custody"), built from what is already recorded: the
 * audit trail of the item, its batch and its harvest, and the scans. The batch view applies clinic scope.
 */
@Injectable()
export class CustodyService {
  constructor(
    private readonly custody: CustodyRepository,
    private readonly batches: BatchesService,
  ) {}

  async ofDose(user: AuthUser, doseId: string): Promise<CustodyDto> {
    const dose = await this.custody.doseOf(doseId);
    if (!dose) throw notFound('Dose', doseId);
    return this.timeline(user, 'DOSE', dose, (entry) =>
      entry.action === 'batch.dose_formulated'
        ? (entry.after as { id?: string } | null)?.id === doseId
        : true,
    );
  }

  async ofVial(user: AuthUser, vialId: string): Promise<CustodyDto> {
    const vial = await this.custody.vialOf(vialId);
    if (!vial) throw notFound('Vial', vialId);
    return this.timeline(user, 'VIAL', vial, (entry) => entry.action !== 'batch.dose_formulated');
  }

  private async timeline(
    user: AuthUser,
    subjectType: 'DOSE' | 'VIAL',
    item: { id: string; label: string; batchId: string },
    keep: (entry: CustodyEntryRow) => boolean,
  ): Promise<CustodyDto> {
    const batch = await this.batches.view(user, item.batchId).catch(() => {
      throw notFound(subjectType === 'DOSE' ? 'Dose' : 'Vial', item.id);
    });
    const ids = [batch.harvestId, batch.id, item.id];
    const [entries, scans] = await Promise.all([
      this.custody.entries(ids, CUSTODY_ACTIONS),
      this.custody.scans(ids),
    ]);
    // The batch's own scans belong to this item's story only when they were checks of the batch on their own.
    const relevant = scans.filter((scan) => scan.subjectId !== batch.id || scan.handOff === null);
    return {
      subject: {
        subjectType,
        subjectId: item.id,
        label: item.label,
        batchId: batch.id,
        din: batch.din,
        harvestId: batch.harvestId,
      },
      events: custodyTimeline(entries, relevant, keep),
    };
  }
}
