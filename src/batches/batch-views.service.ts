import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { canSeeClinic, clinicFilter } from '../auth/clinic-scope';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { currentEntries } from '../common/corrections/correction';
import { Clock } from '../common/clock/clock';
import { notFound } from '../common/errors/domain-error';
import { Page, toPage } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { countingResults, qcSummary } from '../quality/domain/qc-evaluation';
import {
  BatchReadRepository,
  BatchSummaryRow,
  BatchViewRow,
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
import { InjectionPlanViewDto } from './dto/injection-plan.dto';
import { InjectionPlanReader } from './injection-plan-reader.service';
import { ListBatchesQuery } from './dto/list-batches.query';

/**
 * The batch as its readers see it: the view, lists, growth curve and chart (the lineage is the read
 * model's, src/read-model). Everything
 * derived (doublings, projection, QC state, ready for injection) is computed from the record when read, so
 * it is current without any job having run. A doctor sees only their clinic's batches; others are 404.
 */
@Injectable()
export class BatchViewsService {
  constructor(
    private readonly read: BatchReadRepository,
    private readonly steps: BatchStepsRepository,
    private readonly clock: Clock,
    private readonly plans: InjectionPlanReader,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async view(user: AuthUser, batchId: string): Promise<BatchViewDto> {
    const row = await this.read.findView(batchId, this.clock.now());
    if (!row || !canSeeClinic(user, row.clinicId)) throw notFound('Batch', batchId);
    const steps = await this.steps.findSteps(batchId);
    const qcResults = await this.read.findQcResults(batchId);
    const plan = await this.plans.viewOf(batchId);
    return batchView(row, steps, growthOf(steps, row.targetCellCount), qcResults, plan);
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
      plan: await this.plans.viewOf(batchId),
    });
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
    origin: row.origin,
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
  injectionPlan: InjectionPlanViewDto | null,
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
    injectionPlan,
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
