import { BatchRecordData } from '../../read-model/dto/batch-record.dto';
import { LineageDoseDto } from '../../read-model/dto/lineage-view.dto';

/**
 * What the certificate of analysis states: the dose, the batch it came from, where and when the cells were
 * collected, the donor's screening, the processing facility and what it did, the QC results that count with
 * their limits, and the release signature; bound to the batch record by that record's documentHash. It is
 * the CPC's part of the clinic's treatment record under the ASRM (docs/records.md).
 */
export interface CertificateData {
  facility: BatchRecordData['facility'];
  dose: LineageDoseDto;
  batch: BatchRecordData['batch'];
  donor: BatchRecordData['donor'];
  harvest: BatchRecordData['harvest'];
  processing: BatchRecordData['steps'];
  qc: BatchRecordData['qc'];
  decision: NonNullable<BatchRecordData['decision']>;
  batchRecordHash: string;
}

/** The certificate's data from the batch record: entries a correction replaced are left out (the record keeps them). */
export function certificateData(
  record: BatchRecordData,
  dose: LineageDoseDto,
  decision: NonNullable<BatchRecordData['decision']>,
  batchRecordHash: string,
): CertificateData {
  return {
    facility: record.facility,
    dose,
    batch: record.batch,
    donor: record.donor,
    harvest: record.harvest,
    processing: record.steps.filter((s) => !s.superseded),
    qc: record.qc.filter((q) => q.supersededBy === null),
    decision,
    batchRecordHash,
  };
}
