import { Injectable } from '@nestjs/common';
import { VialRecordsService } from '../bank/vial-records.service';
import { BatchesService, BatchSteps } from '../batches/batches.service';
import { BatchSummaryDto, BatchViewDto } from '../batches/dto/batch-view.dto';
import { notFound } from '../common/errors/domain-error';
import { AuthUser } from '../common/transaction/auth-user';
import { DonorsService } from '../donors/donors.service';
import { EquipmentService } from '../environment/equipment.service';
import { LineageDoseDto, LineageDto, LineageEventDto } from './dto/lineage-view.dto';
import { LineageDoseRow, LineageRepository } from './lineage.repository';

/**
 * A batch's lineage: everything that went into it and everything that came out of it, in one answer
 * (recalls, audits). The batch, its steps, its donor and its vials come from their owners' services, which
 * also apply clinic scope (404); the rest is read here, from the tables named in READ_MODEL_TABLES.
 */
@Injectable()
export class LineageService {
  constructor(
    private readonly batches: BatchesService,
    private readonly donors: DonorsService,
    private readonly vialRecords: VialRecordsService,
    private readonly equipment: EquipmentService,
    private readonly read: LineageRepository,
  ) {}

  async lineage(user: AuthUser, batchId: string): Promise<LineageDto> {
    const batch = await this.batches.view(user, batchId);
    const donor = await this.donors.view(user, batch.donorId);
    // A legacy batch has no harvest here (src/batches/legacy-batches.service.ts).
    const harvest = batch.harvestId === null ? null : await this.read.findHarvest(batch.harvestId);
    if (batch.harvestId !== null && !harvest) throw notFound('Harvest', batch.harvestId);
    const steps = await this.batches.stepsOf(batchId);
    const materialLots = await this.read.findMaterialUsages(batchId);
    const deviations = await this.read.findDeviations(batchId);
    const doses = await this.read.findDoses(batchId);
    const vials = (await this.vialRecords.vialsOfBatches([batchId])).get(batchId) ?? [];
    return {
      batch: batchSummary(batch),
      donor: {
        id: donor.id,
        code: donor.code,
        clinicId: donor.clinicId,
        screeningStatus: donor.screeningStatus,
      },
      harvest,
      events: lineageEvents(steps),
      materialLots: materialLots.map(({ lotExpiresAt, ...use }) => ({ ...use, expiresAt: lotExpiresAt })),
      qcResults: batch.qc.results,
      deviations,
      decision: batch.decision,
      doses: doses.map((dose) => lineageDose(dose, donor.code)),
      vials,
      equipment: await this.equipment.usagesOfBatch(batchId),
    };
  }
}

/** The summary part of the batch view, field by field (the lineage shows no more of the batch). */
function batchSummary(view: BatchViewDto): BatchSummaryDto {
  return {
    id: view.id,
    din: view.din,
    dinCheck: view.dinCheck,
    status: view.status,
    origin: view.origin,
    biohazard: view.biohazard,
    donorId: view.donorId,
    clinicId: view.clinicId,
    harvestId: view.harvestId,
    productType: view.productType,
    targetCellCount: view.targetCellCount,
    specificationVersion: view.specificationVersion,
    currentPassage: view.currentPassage,
    viableCellsYielded: view.viableCellsYielded,
    cellsRemaining: view.cellsRemaining,
    readyForInjection: view.readyForInjection,
    expiresAt: view.expiresAt,
    createdAt: view.createdAt,
  };
}

function lineageEvents(steps: BatchSteps): LineageEventDto[] {
  const events: LineageEventDto[] = [];
  if (steps.isolation) {
    const { id, performedAt, cellCount, viabilityPct, tissueWeightG, recordedBy, recordedAt } =
      steps.isolation;
    events.push({
      type: 'ISOLATION',
      id,
      at: performedAt,
      passageNumber: 0,
      totalCells: cellCount,
      viabilityPct,
      details: { tissueWeightG },
      ...provenance({ correctsId: null, supersededBy: null, reason: null, recordedBy, recordedAt }),
    });
  }
  for (const p of steps.passages) {
    events.push({
      type: 'PASSAGE',
      id: p.id,
      at: p.performedAt,
      passageNumber: p.passageNumber,
      totalCells: p.cellsHarvested,
      viabilityPct: p.viabilityPct,
      details: { cellsSeeded: p.cellsSeeded, vesselCount: p.vesselCount, confluencePct: p.confluencePct },
      ...provenance(p),
    });
  }
  for (const c of steps.counts) {
    events.push({
      type: 'CELL_COUNT',
      id: c.id,
      at: c.countedAt,
      passageNumber: c.passageNumber,
      totalCells: c.totalCells,
      viabilityPct: c.viabilityPct,
      details: { method: c.method },
      ...provenance(c),
    });
  }
  for (const f of steps.finalHarvests) {
    events.push({
      type: 'FINAL_HARVEST',
      id: f.id,
      at: f.performedAt,
      passageNumber: null,
      totalCells: f.totalCells,
      viabilityPct: f.viabilityPct,
      details: { viableCells: f.viableCells },
      ...provenance(f),
    });
  }
  return events.sort(
    (a, b) => a.at.getTime() - b.at.getTime() || a.recordedAt.getTime() - b.recordedAt.getTime(),
  );
}

function provenance(entry: {
  correctsId: string | null;
  supersededBy: string | null;
  reason: string | null;
  recordedBy: string;
  recordedAt: Date;
}): Pick<
  LineageEventDto,
  'superseded' | 'supersededBy' | 'correctsId' | 'reason' | 'recordedBy' | 'recordedAt'
> {
  return {
    superseded: entry.supersededBy !== null,
    supersededBy: entry.supersededBy,
    correctsId: entry.correctsId,
    reason: entry.reason,
    recordedBy: entry.recordedBy,
    recordedAt: entry.recordedAt,
  };
}

function lineageDose(dose: LineageDoseRow, patientCode: string): LineageDoseDto {
  return {
    id: dose.id,
    label: dose.label,
    kind: dose.kind,
    status: dose.status,
    cells: dose.cells,
    volumeMl: dose.volumeMl,
    formulatedAt: dose.formulatedAt,
    expiresAt: dose.expiresAt,
    dispatchedAt: dose.dispatchedAt,
    receivedAt: dose.receivedAt,
    recalledAt: dose.recalledAt,
    destroyedAt: dose.destroyedAt,
    // Autologous: the patient treated is the donor, so the wristband code at the bedside is the donor's.
    administration:
      dose.administeredAt === null
        ? null
        : {
            administeredAt: dose.administeredAt,
            site: dose.site,
            patientCode,
            administeredBy: dose.administeredBy,
          },
  };
}
