import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { clinicFilter } from '../auth/clinic-scope';
import { Signature, SignatureService } from '../auth/signature.service';
import { VialRecordsService } from '../bank/vial-records.service';
import { HoldSource, VialHolds } from '../bank/vial-holds.service';
import { Clock } from '../common/clock/clock';
import { DomainEvent } from '../common/events/domain-events';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { Page, toPage } from '../common/pagination/pagination';
import { getInScopeOrThrow } from '../common/scope/get-in-scope';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { unprocessable } from '../common/errors/domain-error';
import { validationFailed } from '../common/validation/validation';
import { DonorsService } from '../donors/donors.service';
import { DosesService } from '../doses/doses.service';
import { DoseStatus } from '../doses/domain/dose-state-machine';
import { AdverseEventEntity, VigilanceSignature } from './adverse-event.entity';
import { AdverseEventsRepository } from './adverse-events.repository';
import {
  AdverseEventStatus,
  assertClosable,
  assertReportable,
  isLate,
  releasesInfectionHold,
  reportDueAt,
} from './domain/adverse-event-rules';
import {
  adverseEventView,
  AdverseEventViewDto,
  CloseAdverseEventDto,
  CloseResultDto,
  ListAdverseEventsQuery,
  RecordAdverseEventDto,
  ReportAdverseEventDto,
  ReportResultDto,
} from './dto/adverse-event.dto';

/** The infection hold an event places is the bank's hold under this source (src/bank/vial-holds.service.ts). */
export const infectionHoldOf = (eventId: string): HoldSource => ({ type: 'adverse_event', id: eventId });

/**
 * Adverse events (docs/vigilance.md): recorded by the clinic's doctor or QA with the reporting clock their
 * seriousness sets, reported once under a signature, closed once by QA under a signature. A suspected
 * infection holds the banked vials of the dose's batch until QA clears the cells. Every change tells the
 * vigilance job (outbox), which raises and resolves ADVERSE_EVENT_REPORT_DUE.
 */
@Injectable()
export class AdverseEventsService {
  constructor(
    private readonly events: AdverseEventsRepository,
    private readonly donors: DonorsService,
    private readonly doses: DosesService,
    private readonly vialRecords: VialRecordsService,
    private readonly holds: VialHolds,
    private readonly signatures: SignatureService,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks, in order: knownAt not before onsetAt (400); the donor and the dose visible (404); the dose the
   * donor's and ADMINISTERED (400 VALIDATION_FAILED naming doseId).
   */
  async record(user: AuthUser, dto: RecordAdverseEventDto): Promise<AdverseEventViewDto> {
    const onsetAt = timestamp(dto.onsetAt, 'onsetAt');
    const knownAt = dto.knownAt === undefined ? null : timestamp(dto.knownAt, 'knownAt');
    if (knownAt && knownAt < onsetAt) {
      throw validationFailed([{ field: 'knownAt', errors: ['knownAt must not be before onsetAt'] }]);
    }
    const donor = await this.donors.findVisible(user, dto.donorId);
    const dose = dto.doseId ? await this.doses.get(user, dto.doseId) : null;
    if (dose && (dose.donorId !== donor.id || dose.status !== DoseStatus.ADMINISTERED)) {
      throw unprocessable("doseId must be a dose of this donor's that was administered", { doseId: dose.id });
    }
    const id = randomUUID();
    await this.transactions.run(actorOf(user), async (tx) => {
      const known = knownAt ?? tx.now;
      if (known < onsetAt) {
        throw validationFailed([{ field: 'onsetAt', errors: ['onsetAt must not be after knownAt'] }]);
      }
      const event: AdverseEventEntity = {
        id,
        donorId: donor.id,
        clinicId: donor.clinicId,
        doseId: dose?.id ?? null,
        batchId: dose?.batchId ?? null,
        onsetAt,
        knownAt: known,
        description: dto.description.trim(),
        seriousness: dto.seriousness,
        suspectedInfection: dto.suspectedInfection ?? false,
        reportDueAt: reportDueAt(dto.seriousness, known),
        status: AdverseEventStatus.OPEN,
        recordedBy: user.id,
        recordedAt: tx.now,
        ...NOT_REPORTED,
        ...NOT_CLOSED,
      };
      await this.events.insert(event, tx.manager);
      const held = await this.holdBankedVials(tx, event);
      tx.audit({
        action: 'adverse_event.recorded',
        entityType: 'adverse_event',
        entityId: id,
        before: null,
        after: { ...adverseEventView(event, tx.now), vialsHeld: held },
      });
      this.emitChanged(tx, event);
    });
    return this.get(user, id);
  }

  async list(user: AuthUser, query: ListAdverseEventsQuery): Promise<Page<AdverseEventViewDto>> {
    const own = clinicFilter(user);
    // A doctor asking for another clinic's events gets none: they do not exist for them.
    const clinicId = own ?? query.clinicId ?? null;
    if (own && query.clinicId && query.clinicId !== own) return { items: [], nextCursor: null };
    const rows = await this.events.list(
      { status: query.status ?? null, clinicId },
      query.limit + 1,
      createdAtCursor(query.cursor),
    );
    const now = this.clock.now();
    return toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.id],
      (row) => adverseEventView(row, now),
    );
  }

  /** The event in the caller's scope (404 for another clinic's doctor). */
  async get(user: AuthUser, eventId: string): Promise<AdverseEventViewDto> {
    const event = await this.visible(user, eventId);
    return adverseEventView(event, this.clock.now());
  }

  /** The event's row, in scope, for the read model's look-back. */
  visible(user: AuthUser, eventId: string, manager?: EntityManager): Promise<AdverseEventEntity> {
    return getInScopeOrThrow(user, 'Adverse event', eventId, this.events.findById(eventId, manager));
  }

  /**
   * The signed report. Checks, in order: the event (404); reported already (409 ALREADY_DECIDED) or closed
   * unreported (409 INVALID_TRANSITION); reportedAt not before knownAt (400); the signature (422
   * SIGNATURE_INVALID). Two reports at once meet on the row lock: the second finds it reported (409).
   */
  async report(user: AuthUser, eventId: string, dto: ReportAdverseEventDto): Promise<ReportResultDto> {
    const peek = await this.visible(user, eventId);
    assertReportable(peek);
    const reportedAt = timestamp(dto.reportedAt, 'reportedAt');
    if (reportedAt < peek.knownAt) {
      throw validationFailed([{ field: 'reportedAt', errors: ['reportedAt must not be before knownAt'] }]);
    }
    const reference = dto.reference.trim();
    const signature = await this.signatures.sign(
      user,
      {
        password: dto.password,
        meaning: `Report of adverse event (${peek.seriousness}) filed as ${reference}`,
        record: { eventId, seriousness: peek.seriousness, knownAt: peek.knownAt, reportedAt, reference },
      },
      this.clock.now(),
    );
    const late = isLate(peek.reportDueAt, reportedAt);
    await this.transactions.run(actorOf(user), async (tx) => {
      const event = await this.lockVisible(tx, user, eventId);
      assertReportable(event);
      const change = {
        status: AdverseEventStatus.REPORTED,
        reportedAt,
        reportReference: reference,
        reportedBy: user.id,
        reportLate: late,
        reportSignature: signed(signature, tx.now),
      };
      await this.events.update(event.id, change, tx.manager);
      tx.audit({
        action: 'adverse_event.reported',
        entityType: 'adverse_event',
        entityId: event.id,
        before: { status: event.status },
        after: { ...change, signerName: signature.signerName, recordHash: signature.recordHash },
      });
      this.emitChanged(tx, event);
    });
    return { status: AdverseEventStatus.REPORTED, late, event: await this.get(user, eventId) };
  }

  /**
   * QA's signed conclusion. Checks, in order: the event (404); closed already (409 ALREADY_DECIDED); a serious
   * event not reported (409 INVALID_TRANSITION); the signature (422). UNLIKELY or UNRELATED releases the
   * infection hold on the batch's vials; RELATED and POSSIBLY_RELATED keep them held for QA to discard.
   */
  async close(user: AuthUser, eventId: string, dto: CloseAdverseEventDto): Promise<CloseResultDto> {
    const peek = await this.visible(user, eventId);
    assertClosable(peek);
    const conclusion = dto.conclusion.trim();
    const signature = await this.signatures.sign(
      user,
      {
        password: dto.password,
        meaning: `Conclusion of adverse event: ${dto.causality}`,
        record: { eventId, seriousness: peek.seriousness, causality: dto.causality, conclusion },
      },
      this.clock.now(),
    );
    const released = await this.transactions.run(actorOf(user), async (tx) => {
      const event = await this.lockVisible(tx, user, eventId);
      assertClosable(event);
      const change = {
        status: AdverseEventStatus.CLOSED,
        causality: dto.causality,
        conclusion,
        closedBy: user.id,
        closedAt: tx.now,
        closeSignature: signed(signature, tx.now),
      };
      await this.events.update(event.id, change, tx.manager);
      const vialIds = releasesInfectionHold(dto.causality)
        ? await this.holds.release(
            tx,
            infectionHoldOf(event.id),
            `Adverse event ${event.id} closed ${dto.causality}: ${conclusion}`,
          )
        : [];
      tx.audit({
        action: 'adverse_event.closed',
        entityType: 'adverse_event',
        entityId: event.id,
        before: { status: event.status },
        after: { ...change, signerName: signature.signerName, vialsReleased: vialIds },
        reason: conclusion,
      });
      this.emitChanged(tx, event);
      return vialIds;
    });
    return {
      status: AdverseEventStatus.CLOSED,
      vialsReleased: released,
      event: await this.get(user, eventId),
    };
  }

  /** For the vigilance job: the event as it is, or null. */
  find(eventId: string, manager?: EntityManager): Promise<AdverseEventEntity | null> {
    return this.events.findById(eventId, manager);
  }

  /** For the sweep: the serious events not yet reported. */
  awaitingReport(): Promise<string[]> {
    return this.events.awaitingReport();
  }

  /** A suspected infection holds the vials of the dose's batch that are still in the tanks. */
  private async holdBankedVials(tx: TransactionContext, event: AdverseEventEntity): Promise<string[]> {
    if (!event.suspectedInfection || !event.batchId) return [];
    const vials =
      (await this.vialRecords.vialsOfBatches([event.batchId], tx.manager)).get(event.batchId) ?? [];
    return this.holds.place(tx, {
      source: infectionHoldOf(event.id),
      vialIds: vials.filter((vial) => vial.inTank).map((vial) => vial.id),
      reason: `Suspected infection after a dose of this batch: adverse event ${event.id}`,
    });
  }

  private lockVisible(tx: TransactionContext, user: AuthUser, eventId: string): Promise<AdverseEventEntity> {
    return getInScopeOrThrow(user, 'Adverse event', eventId, this.events.lockById(eventId, tx.manager));
  }

  private emitChanged(tx: TransactionContext, event: AdverseEventEntity): void {
    tx.emit({
      type: DomainEvent.ADVERSE_EVENT_CHANGED,
      subjectType: 'adverse_event',
      subjectId: event.id,
      payload: event.batchId ? { batchId: event.batchId } : {},
    });
  }
}

const NOT_REPORTED = {
  reportedAt: null,
  reportReference: null,
  reportedBy: null,
  reportLate: null,
  reportSignature: null,
} as const;

const NOT_CLOSED = {
  causality: null,
  conclusion: null,
  closedBy: null,
  closedAt: null,
  closeSignature: null,
} as const;

function signed(signature: Signature, at: Date): VigilanceSignature {
  return { ...signature, signedAt: at.toISOString() };
}

function timestamp(value: string, field: string): Date {
  const at = parseZonedTimestamp(value);
  if (!at)
    throw validationFailed([{ field, errors: [`${field} must be an ISO 8601 timestamp with a zone`] }]);
  return at;
}
