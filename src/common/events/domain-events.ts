/**
 * Domain events written to the outbox in the transaction of the change; the jobs turn them into flags.
 * Subjects: the batch, dose, QC result or storage review the event is about.
 */
export enum DomainEvent {
  BATCH_CULTURE_COMPLETE = 'batch.culture_complete',
  BATCH_RELEASED = 'batch.released',
  BATCH_REJECTED = 'batch.rejected',
  BATCH_DISCARDED = 'batch.discarded',
  QC_RESULT_RECORDED = 'qc.result_recorded',
  DEVIATION_CHANGED = 'deviation.changed',
  DOSE_FORMULATED = 'dose.formulated',
  DOSE_CHANGED = 'dose.changed',
  DOSE_ADMINISTERED = 'dose.administered',
  DOSES_RECALLED = 'dose.recalled',
  VIALS_FROZEN = 'vials.frozen',
  STORAGE_REVIEW_CHANGED = 'storage_review.changed',
  /** A donor's banking consent was withdrawn or its expiry changed: their banked vials' review dates move. */
  DONOR_BANKING_CONSENT_CHANGED = 'donor.banking_consent_changed',
  /** An excursion was found, ended or disposed of (docs/environment.md). */
  EXCURSION_CHANGED = 'excursion.changed',
  /** Equipment was registered or calibrated: its calibration due date moved. */
  EQUIPMENT_CALIBRATION_CHANGED = 'equipment.calibration_changed',
  ENVIRONMENTAL_SAMPLE_RECORDED = 'environmental_sample.recorded',
  /** An adverse event was recorded, reported or closed (docs/vigilance.md): its report-due flag follows. */
  ADVERSE_EVENT_CHANGED = 'adverse_event.changed',
  /** A flag was raised or resolved (subject: the flag): its webhooks and e-mails go out (docs/notifications.md). */
  FLAG_RAISED = 'flag.raised',
  FLAG_RESOLVED = 'flag.resolved',
  /** An admin asked for a webhook delivery to be sent again (subject: the delivery). */
  WEBHOOK_DELIVERY_RETRIED = 'webhook.delivery_retried',
}
