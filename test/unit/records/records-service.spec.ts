import { DomainError } from '../../../src/common/errors/domain-error';
import { ErrorCode } from '../../../src/common/errors/error-code';
import { AuthUser } from '../../../src/common/transaction/auth-user';
import { Transactions } from '../../../src/common/transaction/transactions.service';
import { BatchRecordService } from '../../../src/read-model/batch-record.service';
import { BatchRecordData } from '../../../src/read-model/dto/batch-record.dto';
import { RecordsService } from '../../../src/records/records.service';

const QA: AuthUser = { id: 'u1', email: 'qa@x', name: 'QA', role: 'qa', clinicId: null };

function serviceWith(
  record: Partial<BatchRecordData>,
  batchOfDose: string | null,
): {
  service: RecordsService;
  audits: unknown[];
} {
  const audits: unknown[] = [];
  const records = {
    recordOf: async () => record as BatchRecordData,
    batchOfDose: async () => batchOfDose,
  } as unknown as BatchRecordService;
  const transactions = {
    run: async (_actor: unknown, work: (tx: unknown) => Promise<unknown>) =>
      work({ now: new Date(), audit: (entry: unknown) => audits.push(entry) }),
  } as unknown as Transactions;
  return { service: new RecordsService(records, transactions), audits };
}

describe('RecordsService: the certificate', () => {
  it('refuses a dose of a batch that is not released (409), and audits nothing', async () => {
    const { service, audits } = serviceWith(
      {
        batch: { id: 'b1', status: 'CULTURE_COMPLETE' } as BatchRecordData['batch'],
        doses: [{ id: 'd1' } as BatchRecordData['doses'][number]],
        decision: null,
      },
      'b1',
    );
    const refusal = await service.certificatePdf(QA, 'd1').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe(ErrorCode.INVALID_TRANSITION);
    expect(audits).toEqual([]);
  });

  it('answers 404 for a dose that does not exist', async () => {
    const { service } = serviceWith({}, null);
    const refusal = await service.certificatePdf(QA, 'd9').catch((e: unknown) => e);
    expect((refusal as DomainError).code).toBe(ErrorCode.NOT_FOUND);
  });
});
