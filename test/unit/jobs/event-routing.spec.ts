import { DomainEvent } from '../../../src/common/events/domain-events';
import { subjectsToReconcile } from '../../../src/jobs/flag-tally';
import { JobName, JobQueueName } from '../../../src/jobs/job-names';
import { EVENT_ROUTES, jobsForEvents, outboxJobId } from '../../../src/jobs/outbox/event-routing';

const event = (id: number, type: string, subjectType = 'batch', payload: Record<string, unknown> = {}) => ({
  id,
  type,
  subjectType,
  subjectId: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
  payload,
});

describe('outbox event routing', () => {
  it('gives every domain event a route, so none is dropped by mistake', () => {
    for (const type of Object.values(DomainEvent)) expect(EVENT_ROUTES[type]?.length).toBeGreaterThan(0);
  });

  it('turns an event into one EVALUATE job per processor that cares, with the same deterministic id in each queue', () => {
    const jobs = jobsForEvents([event(7, DomainEvent.DOSE_FORMULATED, 'dose', { batchId: 'b-1' })]);
    expect([...jobs.keys()].sort()).toEqual([JobQueueName.EXPIRY, JobQueueName.READINESS]);
    for (const queued of jobs.values()) {
      expect(queued).toEqual([
        {
          name: JobName.EVALUATE,
          data: expect.objectContaining({
            subjectType: 'dose',
            eventId: 7,
            eventType: DomainEvent.DOSE_FORMULATED,
            batchId: 'b-1',
          }),
          opts: { jobId: 'outbox-7' },
        },
      ]);
    }
  });

  it('uses job ids BullMQ accepts as custom ids (no colon)', () => {
    expect(outboxJobId(123456789)).toBe('outbox-123456789');
    expect(outboxJobId(1)).not.toContain(':');
  });

  it('drops events no processor cares about', () => {
    expect(jobsForEvents([event(1, 'audit.exported')]).size).toBe(0);
  });
});

describe('subjectsToReconcile: what a sweep must look at again', () => {
  it('takes subjects whose condition holds without an open flag, and open flags whose condition ended', () => {
    expect(subjectsToReconcile(['a', 'b', 'c'], ['b', 'c', 'd']).sort()).toEqual(['a', 'd']);
  });

  it('takes nothing when the flags agree with the record', () => {
    expect(subjectsToReconcile(['a', 'b'], ['b', 'a'])).toEqual([]);
  });
});
