import { Injectable } from '@nestjs/common';
import { clinicFilter } from '../auth/clinic-scope';
import { VialRecordsService } from '../bank/vial-records.service';
import { VialHolds } from '../bank/vial-holds.service';
import { Clock } from '../common/clock/clock';
import { AuthUser } from '../common/transaction/auth-user';
import { AdverseEventsService } from '../vigilance/adverse-events.service';
import { adverseEventView } from '../vigilance/dto/adverse-event.dto';
import { AdverseEventWithLookbackDto, LookbackDoseDto, LookbackDto } from './dto/lookback.dto';
import { LookbackDoseRow, LookbackRepository } from './lookback.repository';

const EMPTY: LookbackDto = { batch: null, otherDoses: [], sharedLotBatches: [], bankedVials: [] };

/**
 * The look-back of an adverse event (docs/vigilance.md, "Look-back"): from the dose to its batch, the batch's
 * other doses and the vials still banked, and every other batch that used any of its material lots with
 * their doses, for the CPC to find at once who else received material that may share the cause. The event
 * comes from the vigilance module (which applies clinic scope); other clinics' batches are left out for a
 * doctor, as they do not exist for them.
 */
@Injectable()
export class LookbackService {
  constructor(
    private readonly events: AdverseEventsService,
    private readonly read: LookbackRepository,
    private readonly vialRecords: VialRecordsService,
    private readonly holds: VialHolds,
    private readonly clock: Clock,
  ) {}

  async eventWithLookback(user: AuthUser, eventId: string): Promise<AdverseEventWithLookbackDto> {
    const event = await this.events.visible(user, eventId);
    const lookback = event.batchId ? await this.lookback(user, event.batchId, event.doseId) : EMPTY;
    return { ...adverseEventView(event, this.clock.now()), lookback };
  }

  private async lookback(user: AuthUser, batchId: string, doseId: string | null): Promise<LookbackDto> {
    const batch = await this.read.findBatch(batchId);
    if (!batch) return EMPTY;
    const shared = await this.read.sharedLotBatches(batchId, clinicFilter(user));
    const doses = groupByBatch(await this.read.dosesOf([batchId, ...shared.map((b) => b.id)]));
    const vials = ((await this.vialRecords.vialsOfBatches([batchId])).get(batchId) ?? []).filter(
      (vial) => vial.inTank,
    );
    const held = new Set((await this.holds.heldOf(vials.map((vial) => vial.id))).map((hold) => hold.vialId));
    const view = (row: LookbackDoseRow, of: { clinicId: string; donorCode: string }): LookbackDoseDto =>
      doseView(row, of.clinicId, of.donorCode);
    return {
      batch: { id: batch.id, din: batch.din, status: batch.status, clinicId: batch.clinicId },
      otherDoses: (doses.get(batchId) ?? []).filter((dose) => dose.id !== doseId).map((d) => view(d, batch)),
      sharedLotBatches: shared.map((other) => ({
        id: other.id,
        din: other.din,
        status: other.status,
        clinicId: other.clinicId,
        sharedLots: other.lots,
        doses: (doses.get(other.id) ?? []).map((d) => view(d, other)),
      })),
      bankedVials: vials.map((vial) => ({
        id: vial.id,
        label: vial.label,
        status: vial.status,
        boxPath: vial.position.boxPath,
        held: held.has(vial.id),
      })),
    };
  }
}

function groupByBatch(rows: readonly LookbackDoseRow[]): Map<string, LookbackDoseRow[]> {
  const byBatch = new Map<string, LookbackDoseRow[]>();
  for (const row of rows) byBatch.set(row.batchId, [...(byBatch.get(row.batchId) ?? []), row]);
  return byBatch;
}

function doseView(row: LookbackDoseRow, clinicId: string, patientCode: string): LookbackDoseDto {
  return {
    id: row.id,
    label: row.label,
    kind: row.kind,
    status: row.status,
    administration:
      row.administeredAt === null
        ? null
        : { administeredAt: row.administeredAt, site: row.site, patientCode, clinicId },
  };
}
