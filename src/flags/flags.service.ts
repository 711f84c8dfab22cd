import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { canSeeClinic, clinicFilter } from '../auth/clinic-scope';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { notFound } from '../common/errors/domain-error';
import { Page, toPage } from '../common/pagination/pagination';
import { SYSTEM_ACTOR } from '../common/transaction/actor';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { EventBus } from '../common/events/event-bus';
import { decideAcknowledgement, decideFlagChange, FlagChange, FlagDetails } from './domain/flag-decision';
import { FLAG_POLICIES, FlagResolution, FlagType } from './domain/flag-type';
import { FlagViewDto, flagView } from './dto/flag-view.dto';
import { FlagRaised, FlagResolved } from './events/flag-changed.event';
import { ListFlagsQuery } from './dto/list-flags.query';
import { FlagPlacement, FlagRow, FlagsRepository } from './flags.repository';

/** A flag's condition for one subject, re-derived from the record by a job, and where the flag belongs. */
export interface DerivedFlag {
  holds: boolean;
  details: FlagDetails;
  placement: FlagPlacement;
}

/**
 * Re-derives a subject's condition inside the reconciling transaction, after the subject's lock is taken.
 * Answers null when the subject does not exist (the condition then does not hold).
 */
export type FlagDeriver = (manager: EntityManager, now: Date) => Promise<DerivedFlag | null>;

/** What the trail keeps of a flag: everything the API shows. */
function audited(row: FlagRow): FlagViewDto {
  return flagView(row);
}

@Injectable()
export class FlagsService {
  constructor(
    private readonly flags: FlagsRepository,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
  ) {}

  async list(user: AuthUser, query: ListFlagsQuery): Promise<Page<FlagViewDto>> {
    const rows = await this.flags.list(
      {
        type: query.type ?? null,
        status: query.status ?? null,
        batchId: query.batchId ?? null,
        clinicId: clinicFilter(user),
      },
      query.limit + 1,
      createdAtCursor(query.cursor),
    );
    return toPage(rows, query.limit, (row) => [row.cursorAt, row.id], flagView);
  }

  /**
   * "Seen": an open flag becomes ACKNOWLEDGED; a post-release QC failure acknowledged by a qa user is
   * resolved, for good. Another clinic's flag does not exist for a doctor (404). The flag's row is locked, so
   * two acknowledgements at once are one change and one audit entry.
   */
  async acknowledge(user: AuthUser, id: string, note: string | null = null): Promise<FlagViewDto> {
    const row = await this.transactions.run(actorOf(user), async (tx) => {
      const flag = await this.flags.findByIdForUpdate(id, tx.manager);
      if (!flag || !canSeeClinic(user, flag.clinicId)) throw notFound('Flag', id);
      switch (decideAcknowledgement(flag.type, flag.status, user.role)) {
        case 'NONE':
          return flag;
        case 'ACKNOWLEDGE': {
          const after = await this.flags.acknowledge(flag.id, tx.now, user.id, tx.manager);
          this.auditChange(tx, 'flag.acknowledged', flag, after, note);
          return after;
        }
        case 'RESOLVE': {
          const after = await this.flags.resolve(
            flag.id,
            { at: tx.now, resolution: FlagResolution.ACKNOWLEDGED_BY_QA, by: user.id },
            tx.manager,
          );
          const reason = 'Acknowledged by QA; never raised again for this QC result';
          this.auditChange(tx, 'flag.resolved', flag, after, note ? `${reason}: ${note}` : reason);
          await this.events.publish(tx, new FlagResolved(flagView(after), tx.now));
          return after;
        }
      }
    });
    return flagView(row);
  }

  /**
   * Makes the flag of `type` for one subject match its condition now: raises, resolves, refreshes details or
   * leaves it. One transaction under the subject's advisory lock, with the condition derived after the lock
   * is taken, so any number of jobs, sweeps and replays for the same subject end in the same single flag.
   * Changes are audited as the system.
   */
  async reconcile(type: FlagType, subjectId: string, derive: FlagDeriver): Promise<FlagChange> {
    return this.transactions.run(SYSTEM_ACTOR, (tx) => this.reconcileWithin(tx, type, subjectId, derive));
  }

  /**
   * The same, inside a command's own transaction (an event handler's), for flags that must change with the
   * record that makes them due (VISIT_AT_RISK with the count that puts the visit at risk). The flag's change
   * and its audit entry commit or roll back with the command, under the command's actor.
   */
  async reconcileWithin(
    tx: TransactionContext,
    type: FlagType,
    subjectId: string,
    derive: FlagDeriver,
  ): Promise<FlagChange> {
    await this.flags.lockSubject(type, subjectId, tx.manager);
    const derived = await derive(tx.manager, tx.now);
    const open = await this.flags.findOpen(type, subjectId, tx.manager);
    const everRaised =
      open === null && FLAG_POLICIES[type].raisedOncePerSubject
        ? await this.flags.wasEverRaised(type, subjectId, tx.manager)
        : open !== null;
    const condition = derived ?? { holds: false, details: {} };
    const change = decideFlagChange(type, condition, open, everRaised);
    switch (change) {
      case 'NONE':
        return change;
      case 'RAISE': {
        // derived is non-null here: a condition only holds for a subject that exists.
        const placement = (derived as DerivedFlag).placement;
        const raised = await this.flags.insertOpen(
          {
            type,
            subjectType: FLAG_POLICIES[type].subjectType,
            subjectId,
            ...placement,
            details: condition.details,
            raisedAt: tx.now,
          },
          tx.manager,
        );
        if (!raised) return 'NONE';
        tx.audit({
          action: 'flag.raised',
          entityType: 'flag',
          entityId: raised.id,
          after: audited(raised),
        });
        await this.events.publish(tx, new FlagRaised(flagView(raised), tx.now));
        return change;
      }
      case 'RESOLVE': {
        const before = open as FlagRow;
        const after = await this.flags.resolve(
          before.id,
          { at: tx.now, resolution: FlagResolution.CONDITION_ENDED, by: null },
          tx.manager,
        );
        this.auditChange(tx, 'flag.resolved', before, after, 'The condition that raised it has ended');
        await this.events.publish(tx, new FlagResolved(flagView(after), tx.now));
        return change;
      }
      case 'UPDATE_DETAILS': {
        const before = open as FlagRow;
        const after = await this.flags.updateDetails(before.id, condition.details, tx.manager);
        this.auditChange(tx, 'flag.details_updated', before, after, null);
        return change;
      }
    }
  }

  /** The subjects with an open flag of `type`, for sweeps that must also see flags whose condition ended. */
  openSubjectIds(type: FlagType): Promise<string[]> {
    return this.flags.openSubjectIds(type);
  }

  private auditChange(
    tx: TransactionContext,
    action: string,
    before: FlagRow,
    after: FlagRow,
    reason: string | null,
  ): void {
    tx.audit({
      action,
      entityType: 'flag',
      entityId: after.id,
      before: audited(before),
      after: audited(after),
      reason,
    });
  }
}
