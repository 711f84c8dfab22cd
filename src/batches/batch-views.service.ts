import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { canSeeClinic, clinicFilter } from '../auth/clinic-scope';
import { VialRecordsService } from '../bank/vial-records.service';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { currentEntries } from '../common/corrections/correction';
import { Clock } from '../common/clock/clock';
import { notFound } from '../common/errors/domain-error';
import { Page, toPage } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { DonorsService } from '../donors/donors.service';
import { countingResults, qcSummary } from '../quality/domain/qc-evaluation';
import {
  BatchReadRepository,
  BatchSummaryRow,
  BatchViewRow,
  DoseRow,
  GrowthSubjectRow,
  QcResultRow,
} from './batch-read.repository';
import { BatchSteps, BatchStepsRepository } from './batch-steps.repository';
import { BatchStatus } from './domain/batch-state-machine';
import { growthOf } from './domain/culture-record';
import { parseDinInput } from './domain/din';
import { GrowthSummary } from './domain/growth';
import { renderGrowthSvg } from './domain/growth-chart';
import {
  BatchPageDto,
  BatchSummaryDto,
  BatchViewDto,
  DecisionViewDto,
  QcResultViewDto,
} from './dto/batch-view.dto';
import { GrowthViewDto } from './dto/growth-view.dto';
import { LineageDoseDto, LineageDto, LineageEventDto } from './dto/lineage-view.dto';
import { ListBatchesQuery } from './dto/list-batches.query';

/**
 * The batch as its readers see it: the view, lists, growth curve and chart, and the lineage. Everything
 * derived (doublings, projection, QC state, ready for injection) is computed from the record when read, so
 * it is current without any job having run. A doctor sees only their clinic's batches; others are 404.
 */
@Injectable()
export class BatchViewsService {
  constructor(
    private readonly read: BatchReadRepository,
    private readonly steps: BatchStepsRepository,
    private readonly donors: DonorsService,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
    private readonly vialRecords: VialRecordsService,
  ) {}

  async view(user: AuthUser, batchId: string): Promise<BatchViewDto> {
    const row = await this.read.findView(batchId, this.clock.now());
    if (!row || !canSeeClinic(user, row.clinicId)) throw notFound('Batch', batchId);
    const steps = await this.steps.findSteps(batchId);
    const qcResults = await this.read.findQcResults(batchId);
    return batchView(row, steps, growthOf(steps, row.targetCellCount), qcResults);
  }

  /** The 13-character DIN, or the DIN and its check character, which must then be right (else 404). */
  async viewByDin(user: AuthUser, input: string): Promise<BatchViewDto> {
    const parsed = parseDinInput(input);
    const id = parsed ? await this.read.findIdByDin(parsed.din) : null;
    if (!id) throw notFound('Batch');
    return this.view(user, id);
  }

  async list(user: AuthUser, query: ListBatchesQuery): Promise<BatchPageDto> {
    const rows = await this.read.list(
      {
        scopeClinicId: clinicFilter(user),
        clinicId: query.clinicId ?? null,
        status: query.status ?? null,
        donorId: query.donorId ?? null,
        readyForInjection: query.readyForInjection ?? null,
      },
      query.limit + 1,
      createdAtCursor(query.cursor),
      this.clock.now(),
    );
    const page: Page<BatchSummaryDto> = toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.id],
      batchSummary,
    );
    return page;
  }

  async growth(user: AuthUser, batchId: string): Promise<GrowthViewDto> {
    const { batch, steps, growth } = await this.growthOf(user, batchId);
    return {
      points: growth.points.map((point) => ({
        at: point.at,
        kind: point.kind,
        ...(point.passageNumber !== undefined ? { passageNumber: point.passageNumber } : {}),
        totalCells: point.totalCells,
        viabilityPct: point.viabilityPct,
        cumulativePopulationDoublings: point.cumulativePopulationDoublings,
      })),
      projectedReadyAt: projection(batch.status, growth),
      targetCellCount: batch.targetCellCount,
      cellsPlated: steps.isolation?.cellCount ?? null,
      cumulativePopulationDoublings: growth.cumulativePopulationDoublings,
    };
  }

  async growthSvg(user: AuthUser, batchId: string): Promise<string> {
    const { batch, steps, growth } = await this.growthOf(user, batchId);
    return renderGrowthSvg({
      din: batch.din,
      points: growth.points,
      targetCellCount: batch.targetCellCount,
      cellsPlated: steps.isolation?.cellCount ?? 0,
      projectedReadyAt: projection(batch.status, growth),
      now: this.clock.now(),
      timeZone: this.env.facilityTz,
    });
  }

  /** Everything that went into the batch and everything that came out of it, in one answer (recalls, audits). */
  async lineage(user: AuthUser, batchId: string): Promise<LineageDto> {
    const row = await this.read.findView(batchId, this.clock.now());
    if (!row || !canSeeClinic(user, row.clinicId)) throw notFound('Batch', batchId);
    const donor = await this.donors.view(user, row.donorId);
    const harvest = await this.read.findHarvest(row.harvestId);
    if (!harvest) throw notFound('Harvest', row.harvestId);
    const steps = await this.steps.findSteps(batchId);
    const qcResults = await this.read.findQcResults(batchId);
    const materialLots = await this.read.findMaterialUsages(batchId);
    const deviations = await this.read.findDeviations(batchId);
    const doses = await this.read.findDoses(batchId);
    const vials = (await this.vialRecords.vialsOfBatches([batchId])).get(batchId) ?? [];
    return {
      batch: batchSummary(row),
      donor: {
        id: donor.id,
        code: donor.code,
        clinicId: donor.clinicId,
        screeningStatus: donor.screeningStatus,
      },
      harvest,
      events: lineageEvents(steps),
      materialLots: materialLots.map(({ lotExpiresAt, ...use }) => ({ ...use, expiresAt: lotExpiresAt })),
      qcResults: qcResultViews(qcResults),
      deviations,
      decision: decisionView(row),
      doses: doses.map((dose) => lineageDose(dose, donor.code)),
      vials,
    };
  }

  private async growthOf(
    user: AuthUser,
    batchId: string,
  ): Promise<{ batch: GrowthSubjectRow; steps: BatchSteps; growth: GrowthSummary }> {
    const batch = await this.read.findGrowthSubject(batchId);
    if (!batch || !canSeeClinic(user, batch.clinicId)) throw notFound('Batch', batchId);
    const steps = await this.steps.findSteps(batchId);
    return { batch, steps, growth: growthOf(steps, batch.targetCellCount) };
  }
}

/** A projection is for a culture still growing; a batch discarded in culture has no ready date. */
function projection(status: BatchStatus, growth: GrowthSummary): Date | null {
  return status === BatchStatus.IN_CULTURE ? growth.projectedReadyAt : null;
}

function batchSummary(row: BatchSummaryRow): BatchSummaryDto {
  return {
    id: row.id,
    din: row.din,
    dinCheck: row.dinCheck,
    status: row.status,
    biohazard: row.biohazard,
    donorId: row.donorId,
    clinicId: row.clinicId,
    harvestId: row.harvestId,
    productType: row.productType,
    targetCellCount: row.targetCellCount,
    specificationVersion: row.specificationVersion,
    currentPassage: row.currentPassage,
    viableCellsYielded: row.viableCellsYielded,
    cellsRemaining: row.viableCellsYielded === null ? null : row.viableCellsYielded - row.cellsDrawn,
    readyForInjection: row.readyForInjection,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

function batchView(
  row: BatchViewRow,
  steps: BatchSteps,
  growth: GrowthSummary,
  qcResults: QcResultRow[],
): BatchViewDto {
  const passages = currentEntries(steps.passages);
  const finalHarvest = currentEntries(steps.finalHarvests)[0] ?? null;
  const latest = growth.points.at(-1);
  return {
    ...batchSummary(row),
    specificationId: row.specificationId,
    maxPassage: row.maxPassage,
    latestCount: latest
      ? { totalCells: latest.totalCells, viabilityPct: latest.viabilityPct, at: latest.at, kind: latest.kind }
      : null,
    cumulativePopulationDoublings: growth.cumulativePopulationDoublings,
    projectedReadyAt: projection(row.status, growth),
    passages: passages
      .sort((a, b) => a.passageNumber - b.passageNumber)
      .map((passage) => {
        const doublings = growth.passages.find((p) => p.passageNumber === passage.passageNumber);
        return {
          id: passage.id,
          passageNumber: passage.passageNumber,
          performedAt: passage.performedAt,
          cellsHarvested: passage.cellsHarvested,
          cellsSeeded: passage.cellsSeeded,
          viabilityPct: passage.viabilityPct,
          populationDoublings: doublings?.populationDoublings ?? 0,
          cumulativePopulationDoublings: doublings?.cumulativePopulationDoublings ?? 0,
          doublingTimeHours: doublings?.doublingTimeHours ?? null,
        };
      }),
    finalHarvest:
      finalHarvest && growth.finalHarvest
        ? {
            id: finalHarvest.id,
            performedAt: finalHarvest.performedAt,
            totalCells: finalHarvest.totalCells,
            viabilityPct: finalHarvest.viabilityPct,
            viableCells: finalHarvest.viableCells,
            ...growth.finalHarvest,
          }
        : null,
    cellsDrawn: row.cellsDrawn,
    qc: { ...qcSummary(qcRecords(qcResults)), results: qcResultViews(qcResults) },
    openDeviations: row.openDeviations,
    receiptDeviations: row.receiptDeviations,
    recalledAt: row.recalledAt,
    decision: decisionView(row),
    updatedAt: row.updatedAt,
  };
}

function qcRecords(rows: QcResultRow[]): {
  id: string;
  test: QcResultRow['test'];
  outcome: QcResultRow['outcome'];
  correctsId: string | null;
  order: number;
}[] {
  return rows.map((row) => ({
    id: row.id,
    test: row.test,
    outcome: row.outcome,
    correctsId: row.correctsId,
    order: row.ordinal,
  }));
}

function qcResultViews(rows: QcResultRow[]): QcResultViewDto[] {
  const counting = new Set([...countingResults(qcRecords(rows)).values()].map((record) => record.id));
  return rows.map((row) => ({
    id: row.id,
    test: row.test,
    result: row.result,
    value: row.value,
    qualifier: row.qualifier,
    unit: row.unit,
    testedAt: row.testedAt,
    outcome: row.outcome,
    spec: row.appliedSpec,
    counting: counting.has(row.id),
    recordedAfterRelease: row.recordedAfterRelease,
    correctsId: row.correctsId,
    supersededBy: row.supersededBy,
    reason: row.reason,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
  }));
}

function decisionView(row: BatchViewRow): DecisionViewDto | null {
  if (row.decision === null) return null;
  return {
    decision: row.decision,
    signerId: row.decisionSignerId as string,
    signerName: row.decisionSignerName as string,
    meaning: row.decisionMeaning as string,
    reason: row.decisionReason,
    signedAt: row.decisionSignedAt as Date,
    recordHash: row.decisionRecordHash as string,
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

function lineageDose(dose: DoseRow, patientCode: string): LineageDoseDto {
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
