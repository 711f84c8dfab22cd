import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BATCH_TRANSITIONS, BatchAction, canTransition } from '../../batches/domain/batch-state-machine';
import { Clock } from '../../common/clock/clock';
import { FlagType } from '../../flags/domain/flag-type';
import { DerivedFlag, FlagDeriver, FlagsService } from '../../flags/flags.service';
import { qcSummary } from '../../quality/domain/qc-evaluation';
import { FlagTally, subjectsToReconcile } from '../flag-tally';
import { EvaluateJobData, FlagJobResult, JobQueueName } from '../job-names';
import { JobMetrics } from '../job-metrics';
import { WakeUps } from '../queues/wake-ups';
import { BatchQcRecord, ReadinessFactsRepository } from '../../read-model/readiness-facts.repository';

const { READY_FOR_RELEASE, READY_FOR_INJECTION, POST_RELEASE_QC_FAILURE } = FlagType;

/** The statuses from which a batch may be released, read from the state machine table (the one place). */
const RELEASABLE_STATUSES = BATCH_TRANSITIONS.filter((row) => row.action === BatchAction.RELEASE).flatMap(
  (row) => row.from,
);

function qcAllowsRelease(records: readonly BatchQcRecord[]): boolean {
  const { complete, passed } = qcSummary(records);
  return complete && passed;
}

function iso(at: Date | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

/**
 * The readiness processor's rules: READY_FOR_RELEASE (QA's work queue), READY_FOR_INJECTION (the clinic's
 * cue) and POST_RELEASE_QC_FAILURE (recall notice, one per failing result). Every evaluation re-derives the
 * condition from the record, so events may come twice, late, out of order or not at all (the sweep repairs).
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly record: ReadinessFactsRepository,
    private readonly flags: FlagsService,
    private readonly wakeUps: WakeUps,
    private readonly metrics: JobMetrics,
    private readonly clock: Clock,
  ) {}

  /** An event about a batch, one of its doses, QC results or deviations. */
  async evaluateSubject(data: EvaluateJobData): Promise<FlagJobResult> {
    const batchId =
      (await this.record.batchIdOfSubject(data.subjectType, data.subjectId)) ?? data.batchId ?? null;
    if (batchId === null)
      return new FlagTally(this.metrics).done(`no batch for ${data.subjectType} ${data.subjectId}`);
    return this.evaluateBatch(batchId);
  }

  async evaluateBatch(batchId: string): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    tally.add(
      READY_FOR_RELEASE,
      await this.flags.reconcile(READY_FOR_RELEASE, batchId, this.readyForRelease(batchId)),
    );
    await this.reconcileInjection(tally, batchId);
    for (const resultId of await this.record.postReleaseFailureIds(batchId)) {
      tally.add(
        POST_RELEASE_QC_FAILURE,
        await this.flags.reconcile(POST_RELEASE_QC_FAILURE, resultId, this.postReleaseFailure(resultId)),
      );
    }
    return tally.done();
  }

  /**
   * Re-derives the readiness flags of the active set: batches awaiting release, batches with doses in play,
   * post-release failures without their flag, and every open flag of these types. Only subjects whose flag
   * disagrees with the record are reconciled (each under its lock, re-checked there).
   */
  async sweep(): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    const now = this.clock.now();

    const candidates = await this.record.batchIdsInStatus(RELEASABLE_STATUSES);
    const qc = groupByBatch(await this.record.qcRecordsOf(candidates));
    const releasable = candidates.filter((id) => qcAllowsRelease(qc.get(id) ?? []));
    for (const batchId of subjectsToReconcile(
      releasable,
      await this.flags.openSubjectIds(READY_FOR_RELEASE),
    )) {
      tally.add(
        READY_FOR_RELEASE,
        await this.flags.reconcile(READY_FOR_RELEASE, batchId, this.readyForRelease(batchId)),
      );
    }

    const injectable = await this.record.batchIdsReadyForInjection(now);
    for (const batchId of subjectsToReconcile(
      injectable,
      await this.flags.openSubjectIds(READY_FOR_INJECTION),
    )) {
      await this.reconcileInjection(tally, batchId);
    }

    // Open recall notices are re-derived too: their list of patients to follow up may have grown.
    const failures = new Set([
      ...(await this.record.unflaggedPostReleaseFailureIds()),
      ...(await this.flags.openSubjectIds(POST_RELEASE_QC_FAILURE)),
    ]);
    for (const resultId of failures) {
      tally.add(
        POST_RELEASE_QC_FAILURE,
        await this.flags.reconcile(POST_RELEASE_QC_FAILURE, resultId, this.postReleaseFailure(resultId)),
      );
    }
    return tally.done();
  }

  /** CULTURE_COMPLETE (a release may be taken, per the state machine) and QC complete and passed. */
  private readyForRelease(batchId: string): FlagDeriver {
    return async (manager: EntityManager): Promise<DerivedFlag | null> => {
      const batch = await this.record.releaseCandidate(batchId, manager);
      if (!batch) return null;
      const releasable = canTransition(batch.status, BatchAction.RELEASE);
      const holds = releasable && qcAllowsRelease(await this.record.qcRecordsOf([batchId], manager));
      return {
        holds,
        // The flag follows docs/domain.md, "Flags" (status and QC); open deviations still hold the release back, so QA sees them here.
        details: {
          din: batch.din,
          openDeviations: holds ? await this.record.openDeviationCount(batchId, manager) : 0,
        },
        placement: { clinicId: batch.clinicId, batchId, doseId: null, reviewId: null },
      };
    };
  }

  /**
   * The batches module's own definition (readyForInjectionSql). The flag ends with the batch's shelf life: a
   * wake-up at that moment resolves it on time (the sweep would, within a minute).
   */
  private async reconcileInjection(tally: FlagTally, batchId: string): Promise<void> {
    const shelfLifeEnd: { at: Date | null } = { at: null };
    const change = await this.flags.reconcile(READY_FOR_INJECTION, batchId, async (manager, now) => {
      const batch = await this.record.injectionReadiness(batchId, now, manager);
      if (!batch) return null;
      if (batch.ready && batch.expiresAt) shelfLifeEnd.at = new Date(batch.expiresAt);
      return {
        holds: batch.ready,
        details: { din: batch.din, expiresAt: iso(batch.expiresAt), doses: batch.readyDoses },
        placement: { clinicId: batch.clinicId, batchId, doseId: null, reviewId: null },
      };
    });
    tally.add(READY_FOR_INJECTION, change);
    if (shelfLifeEnd.at) {
      await this.wakeUps.at(
        JobQueueName.READINESS,
        { subjectType: 'batch', subjectId: batchId },
        shelfLifeEnd.at,
      );
    }
  }

  /** A failing result recorded after release; details name the doses already administered. */
  private postReleaseFailure(qcResultId: string): FlagDeriver {
    return async (manager: EntityManager): Promise<DerivedFlag | null> => {
      const failure = await this.record.qcFailure(qcResultId, manager);
      if (!failure) return null;
      const administered = await this.record.administeredDoses(failure.batchId, manager);
      return {
        holds: failure.recordedAfterRelease && failure.outcome === 'FAIL',
        details: {
          din: failure.din,
          qcResultId: failure.id,
          test: failure.test,
          result: failure.result,
          value: failure.value,
          qualifier: failure.qualifier,
          unit: failure.unit,
          testedAt: iso(failure.testedAt),
          // Autologous product: every dose of the batch went to its donor.
          patient: { donorId: failure.donorId, code: failure.donorCode },
          administeredDoses: administered.map((dose) => ({
            doseId: dose.doseId,
            label: dose.label,
            administeredAt: iso(dose.administeredAt),
            site: dose.site,
          })),
        },
        placement: { clinicId: failure.clinicId, batchId: failure.batchId, doseId: null, reviewId: null },
      };
    };
  }
}

function groupByBatch(records: BatchQcRecord[]): Map<string, BatchQcRecord[]> {
  const byBatch = new Map<string, BatchQcRecord[]>();
  for (const record of records) {
    const list = byBatch.get(record.batchId) ?? [];
    list.push(record);
    byBatch.set(record.batchId, list);
  }
  return byBatch;
}
