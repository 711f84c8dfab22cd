import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { BatchRecordService } from '../read-model/batch-record.service';
import { BatchRecordData, BatchRecordDto } from '../read-model/dto/batch-record.dto';
import { certificateData } from './domain/certificate-data';
import { documentHash } from './domain/document-hash';
import { renderBatchRecord } from './render/batch-record.pdf';
import { renderCertificate } from './render/certificate.pdf';

export type RecordDocument = 'BATCH_RECORD' | 'BATCH_RECORD_PDF' | 'CERTIFICATE_PDF';

/**
 * The records that leave the system: built from the records on every request through the read model (no
 * stored copy that could drift), hashed over their data, and each generation written to the audit trail with
 * its hash, so what was handed out on a day can be shown later.
 */
@Injectable()
export class RecordsService {
  constructor(
    private readonly records: BatchRecordService,
    private readonly transactions: Transactions,
  ) {}

  async batchRecord(user: AuthUser, batchId: string): Promise<BatchRecordDto> {
    const data = await this.records.recordOf(user, batchId);
    const hash = documentHash(data);
    const generatedAt = await this.audit(user, batchId, { document: 'BATCH_RECORD', documentHash: hash });
    return { documentHash: hash, generatedAt, ...data };
  }

  async batchRecordPdf(user: AuthUser, batchId: string): Promise<Buffer> {
    const data = await this.records.recordOf(user, batchId);
    const hash = documentHash(data);
    const pdf = await renderBatchRecord(data, hash);
    await this.audit(user, batchId, { document: 'BATCH_RECORD_PDF', documentHash: hash });
    return pdf;
  }

  async certificatePdf(user: AuthUser, doseId: string): Promise<Buffer> {
    const record = await this.recordOfDose(user, doseId);
    const dose = record.doses.find((d) => d.id === doseId);
    if (!dose) throw notFound('Dose', doseId);
    const decision = record.decision;
    if (decision?.decision !== 'RELEASE') {
      throw new DomainError(
        ErrorCode.INVALID_TRANSITION,
        'A certificate is issued only for a dose of a released batch',
        {
          batchId: record.batch.id,
          status: record.batch.status,
        },
      );
    }
    const data = certificateData(record, dose, decision, documentHash(record));
    const hash = documentHash(data);
    const pdf = await renderCertificate(data, hash);
    await this.audit(user, record.batch.id, { document: 'CERTIFICATE_PDF', doseId, documentHash: hash });
    return pdf;
  }

  /** The record of a dose's batch; a missing dose and another clinic's are the same 404 (rule 11). */
  private async recordOfDose(user: AuthUser, doseId: string): Promise<BatchRecordData> {
    const batchId = await this.records.batchOfDose(doseId);
    if (!batchId) throw notFound('Dose', doseId);
    try {
      return await this.records.recordOf(user, batchId);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.NOT_FOUND) throw notFound('Dose', doseId);
      throw error;
    }
  }

  private audit(user: AuthUser, batchId: string, after: Record<string, string>): Promise<Date> {
    return this.transactions.run(actorOf(user), async (tx) => {
      tx.audit({ action: 'document.generated', entityType: 'batch', entityId: batchId, after });
      return tx.now;
    });
  }
}
