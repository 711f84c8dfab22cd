import { Injectable } from '@nestjs/common';
import { EventBus } from '../common/events/event-bus';
import { QcResultRecorded } from './events/qc-result-recorded.event';
import { BatchesService } from '../batches/batches.service';
import { BatchAction, BatchStatus } from '../batches/domain/batch-state-machine';
import { assertCorrectable } from '../common/corrections/correction';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { DosesService } from '../doses/doses.service';
import { evaluateQcResult, QcEvaluation } from './domain/qc-evaluation';
import { RECALLING_TESTS } from './domain/qc-measurement';
import { QcOutcome, Specification } from './domain/specification';
import { RecordQcResultDto } from './dto/record-qc-result.dto';
import { qcResultView, RecordedQcResultDto } from './dto/qc-result-view.dto';
import { QcResultRow, QcResultsRepository } from './qc-results.repository';
import { SpecificationsRepository } from './specifications.repository';

/**
 * QC results against the batch's specification, corrections of them, and what a result after release sets off.
 */
@Injectable()
export class QcResultsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly batches: BatchesService,
    private readonly results: QcResultsRepository,
    private readonly specifications: SpecificationsRepository,
    private readonly doses: DosesService,
    private readonly events: EventBus,
  ) {}

  /**
   * Checks, in order: batch 404, batch state (409: IN_CULTURE to RELEASED), the corrected result (404 when not
   * a result of this batch, 409 when corrected already, 403 when a technician corrects a FAIL, 400 when it is
   * of another test), then the measurement against the specification (400). QC results stay correctable after
   * release: the final sterility result and out-of-specification investigations come late by nature.
   */
  async record(user: AuthUser, batchId: string, dto: RecordQcResultDto): Promise<RecordedQcResultDto> {
    const testedAt = parseZonedTimestamp(dto.testedAt) as Date;
    return this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.batches.lockForAction(tx, user, batchId, BatchAction.RECORD_QC);
      const corrected = dto.correctsId ? await this.correctedResult(tx, user, batchId, dto) : null;
      const specification = await this.specifications.findById(batch.specificationId, tx.manager);
      if (!specification) throw notFound('Specification', batch.specificationId);
      const { outcome, appliedLimit } = judge(specification, dto, batch.targetCellCount);
      const afterRelease = batch.status === BatchStatus.RELEASED;
      const row = await this.results.insert(
        {
          batchId,
          test: dto.test,
          result: dto.result ?? null,
          value: dto.value ?? null,
          qualifier: dto.qualifier ?? null,
          unit: dto.unit ?? null,
          testedAt,
          outcome,
          spec: appliedLimit,
          specificationId: specification.id,
          recordedAfterRelease: afterRelease,
          correctsId: corrected?.id ?? null,
          reason: dto.reason ?? null,
          recordedBy: user.id,
          recordedByRole: user.role,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      if (corrected && !(await this.results.markSuperseded(corrected.id, row.id, tx.manager))) {
        throw correctedAlready(corrected.id);
      }
      await this.events.publish(tx, new QcResultRecorded(batchId, row.id, testedAt, dto.equipmentIds ?? []));
      const view = qcResultView(row);
      tx.audit({
        action: corrected ? 'batch.qc_result_corrected' : 'batch.qc_result_recorded',
        entityType: 'batch',
        entityId: batchId,
        before: corrected ? qcResultView(corrected) : null,
        after: view,
        reason: dto.reason ?? null,
      });
      // One event per result; the jobs raise POST_RELEASE_QC_FAILURE (subject: this result) when it failed
      // after release, and re-evaluate the batch's readiness either way.
      tx.emit({
        type: DomainEvent.QC_RESULT_RECORDED,
        subjectType: 'qc_result',
        subjectId: row.id,
        payload: {
          batchId,
          test: row.test,
          outcome,
          failedAfterRelease: afterRelease && outcome === QcOutcome.FAIL,
        },
      });
      if (afterRelease && RECALLING_TESTS.has(row.test) && row.result === 'POSITIVE') {
        await this.doses.recallUndeliveredDoses(tx, {
          batchId,
          qcResultId: row.id,
          reason: `${row.test} POSITIVE after release (QC result ${row.id})`,
        });
      }
      return view;
    });
  }

  private async correctedResult(
    tx: TransactionContext,
    user: AuthUser,
    batchId: string,
    dto: RecordQcResultDto,
  ): Promise<QcResultRow> {
    const correctsId = dto.correctsId as string;
    const target = assertCorrectable(
      correctsId,
      await this.results.findOfBatch(batchId, correctsId, tx.manager),
      'QC result',
    );
    // A failing result is out of specification: only QA's investigation may set it aside (no testing into
    // compliance), so a technician may retest but not correct it.
    if (target.outcome === QcOutcome.FAIL && user.role !== 'qa') {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'Only QA may correct a failing QC result (out-of-specification investigation)',
        { correctsId },
      );
    }
    if (target.test !== dto.test) {
      throw validationFailed([
        {
          field: 'test',
          errors: [`a correction of a ${target.test} result must be a ${target.test} result`],
        },
      ]);
    }
    return target;
  }
}

/**
 * The specification's verdict. The domain names the offending fields as plain strings; the contract's 400
 * lists them as `{field, errors}` like every other validation failure.
 */
function judge(specification: Specification, dto: RecordQcResultDto, targetCellCount: number): QcEvaluation {
  try {
    return evaluateQcResult(
      specification,
      dto.test,
      { result: dto.result, value: dto.value, qualifier: dto.qualifier, unit: dto.unit },
      { targetCellCount },
    );
  } catch (error) {
    if (error instanceof DomainError && error.code === ErrorCode.VALIDATION_FAILED) {
      const fields = Array.isArray(error.details.fields) ? (error.details.fields as string[]) : [];
      throw validationFailed(fields.map((field) => ({ field, errors: [error.message] })));
    }
    throw error;
  }
}

function correctedAlready(correctsId: string): DomainError {
  return new DomainError(
    ErrorCode.INVALID_TRANSITION,
    'This QC result was corrected already; correct the newest entry',
    {
      correctsId,
    },
  );
}
