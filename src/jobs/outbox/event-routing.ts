import { DomainEvent } from '../../common/events/domain-events';
import { EvaluateJobData, JobName, JobQueueName } from '../job-names';
import { QueuedJob } from '../queues/job-queues';
import { OutboxEventRow } from './outbox.repository';

const { READINESS, EXPIRY, STORAGE_REVIEW, ENVIRONMENT, VIGILANCE, NOTIFICATIONS } = JobQueueName;

/**
 * Which processors re-derive their flags when an event happens. Every processor recomputes from the record,
 * so an event only says "look at this subject again"; an event listed nowhere is marked sent and dropped.
 */
export const EVENT_ROUTES: Readonly<Record<string, readonly JobQueueName[]>> = {
  [DomainEvent.BATCH_CULTURE_COMPLETE]: [READINESS],
  [DomainEvent.BATCH_RELEASED]: [READINESS],
  [DomainEvent.BATCH_REJECTED]: [READINESS],
  [DomainEvent.BATCH_DISCARDED]: [READINESS],
  [DomainEvent.QC_RESULT_RECORDED]: [READINESS],
  [DomainEvent.DEVIATION_CHANGED]: [READINESS],
  [DomainEvent.DOSE_FORMULATED]: [READINESS, EXPIRY],
  [DomainEvent.DOSE_CHANGED]: [READINESS, EXPIRY],
  [DomainEvent.DOSE_ADMINISTERED]: [READINESS, EXPIRY],
  [DomainEvent.DOSES_RECALLED]: [READINESS, EXPIRY],
  [DomainEvent.VIALS_FROZEN]: [STORAGE_REVIEW],
  [DomainEvent.STORAGE_REVIEW_CHANGED]: [STORAGE_REVIEW],
  [DomainEvent.DONOR_BANKING_CONSENT_CHANGED]: [STORAGE_REVIEW],
  [DomainEvent.EXCURSION_CHANGED]: [ENVIRONMENT],
  [DomainEvent.EQUIPMENT_CALIBRATION_CHANGED]: [ENVIRONMENT],
  [DomainEvent.ENVIRONMENTAL_SAMPLE_RECORDED]: [ENVIRONMENT],
  [DomainEvent.ADVERSE_EVENT_CHANGED]: [VIGILANCE],
  // The deliveries are recorded with the flag change; these rows only wake their sender.
  [DomainEvent.FLAG_RAISED]: [NOTIFICATIONS],
  [DomainEvent.FLAG_RESOLVED]: [NOTIFICATIONS],
  [DomainEvent.WEBHOOK_DELIVERY_RETRIED]: [NOTIFICATIONS],
};

/**
 * The job id of an event's job: the same event always makes the same id, so re-sending it after a relay
 * crashed between Redis and its commit adds nothing (BullMQ ignores an id it holds; ':' is reserved there).
 */
export function outboxJobId(eventId: number): string {
  return `outbox-${eventId}`;
}

/** The jobs an outbox event becomes, per queue. */
export function jobsForEvents(events: readonly OutboxEventRow[]): Map<JobQueueName, QueuedJob[]> {
  const byQueue = new Map<JobQueueName, QueuedJob[]>();
  for (const event of events) {
    const data: EvaluateJobData = {
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      eventId: event.id,
      eventType: event.type,
      ...(typeof event.payload.batchId === 'string' ? { batchId: event.payload.batchId } : {}),
    };
    for (const queue of EVENT_ROUTES[event.type] ?? []) {
      const jobs = byQueue.get(queue) ?? [];
      jobs.push({ name: JobName.EVALUATE, data, opts: { jobId: outboxJobId(event.id) } });
      byQueue.set(queue, jobs);
    }
  }
  return byQueue;
}
