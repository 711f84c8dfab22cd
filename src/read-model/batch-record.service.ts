import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { ClinicsService } from '../auth/clinics.service';
import { UsersService } from '../auth/users.service';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AuthUser } from '../common/transaction/auth-user';
import { CUSTODY_ACTIONS, CustodyKind, HandOffEvent, handOffEvents } from './custody-timeline';
import { CustodyRepository } from './custody.repository';
import {
  BatchRecordData,
  CustodyHandOffDto,
  CustodySummaryDto,
  RecordPersonDto,
} from './dto/batch-record.dto';
import { LineageDto, LineageHarvestDto } from './dto/lineage-view.dto';

import { LineageRepository } from './lineage.repository';
import { LineageService } from './lineage.service';

/** The lineage of a batch cultured here, from its harvest. */
type CulturedLineage = LineageDto & { harvest: LineageHarvestDto };

/**
 * A batch's record as data, built from the records on each request (nothing stored that could drift from
 * them): the lineage (docs/read-model: everything in and out of the batch) plus what a printed record needs
 * besides: the facility, the clinic's name, the printed names of everyone it names by id, and the hand-offs
 * with their scans.
 * Clinic scope is the lineage's (404).
 */
@Injectable()
export class BatchRecordService {
  constructor(
    private readonly lineages: LineageService,
    private readonly read: LineageRepository,
    private readonly custody: CustodyRepository,
    private readonly clinics: ClinicsService,
    private readonly users: UsersService,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async recordOf(user: AuthUser, batchId: string): Promise<BatchRecordData> {
    const raw = await this.lineages.lineage(user, batchId);
    // A LEGACY batch came in with its vials from another bank: its path is on paper, not in this system.
    if (raw.harvest === null) {
      throw new DomainError(
        ErrorCode.INVALID_TRANSITION,
        'A legacy batch has no batch record here: its path is on the paper record QA accepted',
        { batchId },
      );
    }
    const lineage = { ...raw, harvest: raw.harvest };
    const clinic = await this.clinics.findById(lineage.donor.clinicId);
    if (!clinic) throw notFound('Clinic', lineage.donor.clinicId);
    const custody = handOffs(lineage, await this.handOffEventsOf(lineage));
    return {
      facility: { name: this.env.facilityName, fin: this.env.facilityFin, timeZone: this.env.facilityTz },
      batch: lineage.batch,
      donor: { ...lineage.donor, clinic: { id: clinic.id, code: clinic.code, name: clinic.name } },
      harvest: lineage.harvest,
      steps: lineage.events,
      materials: lineage.materialLots,
      equipment: lineage.equipment,
      qc: lineage.qcResults,
      deviations: lineage.deviations,
      decision: lineage.decision,
      doses: lineage.doses,
      vials: lineage.vials,
      custody,
      custodySummary: summaryOf(custody),
      people: await this.peopleNamedIn(lineage, custody),
    };
  }

  /** The batch a dose was made from (any kind: fresh or booster), or null when there is no such dose. */
  batchOfDose(doseId: string): Promise<string | null> {
    return this.read.findBatchOfDose(doseId);
  }

  /** The hand-offs of the harvest, the batch, its doses and its vials, with their scans. */
  private async handOffEventsOf(lineage: CulturedLineage): Promise<HandOffEvent[]> {
    const ids = [
      lineage.harvest.id,
      lineage.batch.id,
      ...lineage.doses.map((d) => d.id),
      ...lineage.vials.map((v) => v.id),
    ];
    const [entries, scans] = await Promise.all([
      this.custody.entries(ids, CUSTODY_ACTIONS),
      this.custody.scans(ids),
    ]);
    return handOffEvents(entries, scans);
  }

  private async peopleNamedIn(
    lineage: CulturedLineage,
    custody: readonly CustodyHandOffDto[],
  ): Promise<RecordPersonDto[]> {
    const ids = new Set<string>([lineage.harvest.collectedBy]);
    for (const c of custody) if (c.by) ids.add(c.by);
    if (lineage.harvest.receivedBy) ids.add(lineage.harvest.receivedBy);
    for (const step of lineage.events) ids.add(step.recordedBy);
    for (const qc of lineage.qcResults) ids.add(qc.recordedBy);
    for (const d of lineage.deviations) [d.openedBy, d.closedBy].forEach((id) => id && ids.add(id));
    for (const dose of lineage.doses)
      if (dose.administration?.administeredBy) ids.add(dose.administration.administeredBy);
    if (lineage.decision) ids.add(lineage.decision.signerId);
    const contacts = await this.users.contactsOf([...ids]);
    return contacts
      .map(({ id, name, role }) => ({ id, name, role }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/** The record's name for each kind of hand-off on the custody trail (src/read-model/custody-timeline.ts). */
const HAND_OFF_EVENTS: Partial<Record<CustodyKind, string>> = {
  RECEIVED: 'TISSUE_RECEIVED',
  FROZEN: 'VIAL_FROZEN',
  MOVED: 'VIAL_MOVED',
  THAWED: 'VIAL_THAWED',
  DISPATCHED: 'DOSE_DISPATCHED',
  CLINIC_RECEIVED: 'DOSE_RECEIVED',
  ADMINISTERED: 'DOSE_ADMINISTERED',
};

/**
 * The times the cells changed hands, from the custody trail and the scans (the same hand-offs, verified the
 * same way, as the dose and vial custody timelines), each named by the label (or DIN) of what changed hands.
 */
function handOffs(lineage: CulturedLineage, events: readonly HandOffEvent[]): CustodyHandOffDto[] {
  const labels = new Map<string, string>([[lineage.harvest.id, lineage.batch.din]]);
  for (const dose of lineage.doses) labels.set(dose.id, dose.label);
  for (const vial of lineage.vials) labels.set(vial.id, vial.label);
  return events.map((e) => ({
    at: e.at,
    event: HAND_OFF_EVENTS[e.kind] ?? e.kind,
    item: labels.get(e.entityId) ?? e.entityId,
    by: e.actorId,
    verified: e.scanVerified,
  }));
}

function summaryOf(custody: readonly CustodyHandOffDto[]): CustodySummaryDto {
  return { handOffs: custody.length, verified: custody.filter((c) => c.verified).length };
}
