import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DerivedFlag } from '../flags/flags.service';
import { AdverseEventsService } from './adverse-events.service';
import { isOverdue, reportIsDue } from './domain/adverse-event-rules';

/**
 * The condition of ADVERSE_EVENT_REPORT_DUE for one event, for the vigilance job (docs/vigilance.md): it
 * holds while a serious event is not reported; `details.overdue` turns true once `reportDueAt` has passed.
 * The flag belongs to the event's clinic, so its doctor sees it.
 */
@Injectable()
export class VigilanceFlagConditions {
  constructor(private readonly events: AdverseEventsService) {}

  /** The flag's condition now, and the moment it becomes overdue when it is not yet. */
  async reportDue(
    eventId: string,
    manager: EntityManager,
    now: Date,
  ): Promise<{ derived: DerivedFlag | null; overdueFrom: Date | null }> {
    const event = await this.events.find(eventId, manager);
    if (!event) return { derived: null, overdueFrom: null };
    const overdue = isOverdue(event.reportDueAt, now);
    return {
      derived: {
        holds: reportIsDue(event),
        details: {
          seriousness: event.seriousness,
          knownAt: event.knownAt.toISOString(),
          reportDueAt: event.reportDueAt?.toISOString() ?? null,
          overdue,
          doseId: event.doseId,
        },
        placement: { clinicId: event.clinicId, batchId: event.batchId, doseId: event.doseId, reviewId: null },
      },
      overdueFrom: reportIsDue(event) && !overdue ? event.reportDueAt : null,
    };
  }

  /** The events a sweep looks at: the serious ones not yet reported. */
  awaitingReport(): Promise<string[]> {
    return this.events.awaitingReport();
  }
}
