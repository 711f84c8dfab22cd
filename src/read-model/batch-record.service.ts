import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { BatchVialRecord } from '../bank/vial-records.service';
import { ClinicsService } from '../auth/clinics.service';
import { UsersService } from '../auth/users.service';
import { notFound } from '../common/errors/domain-error';
import { AuthUser } from '../common/transaction/auth-user';
import { BatchRecordData, CustodyHandOffDto, RecordPersonDto } from './dto/batch-record.dto';
import { LineageDto } from './dto/lineage-view.dto';
import { LineageRepository } from './lineage.repository';
import { LineageService } from './lineage.service';

/**
 * A batch's record as data, built from the records on each request (nothing stored that could drift from
 * them): the lineage (docs/read-model: everything in and out of the batch) plus what a printed record needs
 * besides: the facility, the clinic's name, the printed names of everyone it names by id, and the hand-offs.
 * Clinic scope is the lineage's (404).
 */
@Injectable()
export class BatchRecordService {
  constructor(
    private readonly lineages: LineageService,
    private readonly read: LineageRepository,
    private readonly clinics: ClinicsService,
    private readonly users: UsersService,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async recordOf(user: AuthUser, batchId: string): Promise<BatchRecordData> {
    const lineage = await this.lineages.lineage(user, batchId);
    const clinic = await this.clinics.findById(lineage.donor.clinicId);
    if (!clinic) throw notFound('Clinic', lineage.donor.clinicId);
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
      custody: handOffs(lineage),
      people: await this.peopleNamedIn(lineage),
    };
  }

  /** The batch a dose was made from (any kind: fresh or booster), or null when there is no such dose. */
  batchOfDose(doseId: string): Promise<string | null> {
    return this.read.findBatchOfDose(doseId);
  }

  private async peopleNamedIn(lineage: LineageDto): Promise<RecordPersonDto[]> {
    const ids = new Set<string>([lineage.harvest.collectedBy]);
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

/**
 * The times the cells changed hands, as the records show them. None is verified by a scan of the label yet
 * (the record has no scans to show), so each is listed as unverified for the reviewer to check on paper.
 */
function handOffs(lineage: LineageDto): CustodyHandOffDto[] {
  const list: CustodyHandOffDto[] = [];
  const add = (at: Date | null, event: string, item: string, by: string | null): void => {
    if (at) list.push({ at, event, item, by, verified: false });
  };
  add(lineage.harvest.receivedAt, 'TISSUE_RECEIVED', lineage.batch.din, lineage.harvest.receivedBy);
  for (const dose of lineage.doses) {
    add(dose.dispatchedAt, 'DOSE_DISPATCHED', dose.label, null);
    add(dose.receivedAt, 'DOSE_RECEIVED', dose.label, null);
    add(
      dose.administration?.administeredAt ?? null,
      'DOSE_ADMINISTERED',
      dose.label,
      dose.administration?.administeredBy ?? null,
    );
  }
  for (const vial of lineage.vials as BatchVialRecord[]) {
    add(vial.thawedAt, 'VIAL_THAWED', vial.label, null);
  }
  return list.sort(
    (a, b) => a.at.getTime() - b.at.getTime() || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0),
  );
}
