import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { ClinicsRepository } from '../auth/clinics.repository';
import { canSeeClinic, clinicFilter } from '../auth/clinic-scope';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { EventBus } from '../common/events/event-bus';
import { Page, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { FieldError, validationFailed } from '../common/validation/validation';
import { BankingConsentChanged } from './events/banking-consent-changed.event';
import {
  bankingConsentInForce,
  bankingTermsChanged,
  ConsentTerms,
  consentProblems,
} from './domain/consent-terms';
import { generateDonorCode } from './domain/donor-code';
import { ScreeningResult, ScreeningStatus, summariseScreening } from './domain/screening-status';
import { ConsentDto } from './dto/consent.dto';
import { CreateDonorDto } from './dto/create-donor.dto';
import {
  ConsentRecordedDto,
  consentView,
  donorView,
  DonorViewDto,
  ScreeningRecordedDto,
  screeningView,
} from './dto/donor-view.dto';
import { ListDonorsQuery } from './dto/list-donors.query';
import { RecordScreeningDto } from './dto/record-screening.dto';
import { ConsentRow, DonorRow, DonorsRepository, ScreeningRow } from './donors.repository';
import { KneeAssessmentsRepository } from './knee-assessments.repository';
import { createdAtCursor } from '../common/pagination/created-at-cursor';

/** Drawing a code that exists already is a 1-in-10^12 event per donor; a few draws make failure unthinkable. */
const CODE_ATTEMPTS = 5;

/**
 * Donors (patients): registration with consent, infectious screening, consents (docs/domain.md, rules 1, 2, 10, 11).
 *
 * For other modules:
 * - `findVisible(user, donorId)`: the donor, or 404 when missing or of another clinic (for a doctor).
 * - `codeOf(donorId, manager?)`: the donor's code (what the wristband carries), for records of the donor's
 *   cells that the caller has already found in scope; null for an unknown donor.
 * - `screeningStatus(donorId, manager)`: PENDING / NEGATIVE / REACTIVE, derived now. Inside a transaction it
 *   holds the donor's row FOR SHARE to the end, so a batch created on that answer cannot miss a REACTIVE
 *   result recorded at the same moment (that command marks the donor's batches biohazard under FOR UPDATE).
 * - `currentConsent(donorId, manager)`: the consent in force (recorded last), or null.
 * - `requireTreatmentConsent(tx, user, donorId)`: locks the donor (FOR SHARE), 404 by scope, 422 CONSENT_MISSING.
 * - `requireBankingConsent(tx, donorId, at)`: locks the donor (FOR SHARE), 422 CONSENT_MISSING unless banking
 *   consent is in force at `at` (for the bank's cryopreservation).
 */
@Injectable()
export class DonorsService {
  constructor(
    private readonly donors: DonorsRepository,
    private readonly knees: KneeAssessmentsRepository,
    private readonly clinics: ClinicsRepository,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  // ---------------------------------------------------------------- for other modules

  async findVisible(user: AuthUser, donorId: string, manager?: EntityManager): Promise<DonorRow> {
    const donor = await this.donors.findById(donorId, manager);
    if (!donor || !canSeeClinic(user, donor.clinicId)) throw notFound('Donor', donorId);
    return donor;
  }

  async codeOf(donorId: string, manager?: EntityManager): Promise<string | null> {
    return (await this.donors.findById(donorId, manager))?.code ?? null;
  }

  async screeningStatus(donorId: string, manager: EntityManager): Promise<ScreeningStatus> {
    const donor = await this.donors.lockById(donorId, 'SHARE', manager);
    if (!donor) throw notFound('Donor', donorId);
    return summariseScreening(await this.donors.screeningsOf([donorId], manager)).status;
  }

  currentConsent(donorId: string, manager: EntityManager): Promise<ConsentRow | null> {
    return this.donors.currentConsent(donorId, manager);
  }

  async requireTreatmentConsent(tx: TransactionContext, user: AuthUser, donorId: string): Promise<DonorRow> {
    const donor = await this.donors.lockById(donorId, 'SHARE', tx.manager);
    if (!donor || !canSeeClinic(user, donor.clinicId)) throw notFound('Donor', donorId);
    const consent = await this.donors.currentConsent(donorId, tx.manager);
    if (!consent?.treatment) {
      throw new DomainError(ErrorCode.CONSENT_MISSING, 'The donor has not consented to treatment', {
        donorId,
        consentId: consent?.id ?? null,
      });
    }
    return donor;
  }

  async requireBankingConsent(tx: TransactionContext, donorId: string, at: Date): Promise<ConsentRow> {
    const donor = await this.donors.lockById(donorId, 'SHARE', tx.manager);
    if (!donor) throw notFound('Donor', donorId);
    const consent = await this.donors.currentConsent(donorId, tx.manager);
    if (!consent || !bankingConsentInForce(consent, at)) {
      throw new DomainError(ErrorCode.CONSENT_MISSING, 'The donor has no banking consent in force', {
        donorId,
        consentId: consent?.id ?? null,
        bankingExpiresAt: consent?.bankingExpiresAt ?? null,
      });
    }
    return consent;
  }

  // ---------------------------------------------------------------- commands

  async register(user: AuthUser, dto: CreateDonorDto): Promise<DonorViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const problems = [
        ...birthYearProblems(dto.birthYear, tx.now, this.env.facilityTz),
        ...consentFieldProblems(dto.consent, 'consent.'),
      ];
      if (user.role === 'admin' && dto.clinicId === undefined) {
        problems.push({
          field: 'clinicId',
          errors: ['clinicId is required when an admin registers a donor'],
        });
      }
      if (problems.length > 0) throw validationFailed(problems);
      const clinicId = await this.clinicForNewDonor(user, dto.clinicId, tx.manager);

      let donor: DonorRow | null = null;
      for (let attempt = 0; attempt < CODE_ATTEMPTS && donor === null; attempt++) {
        donor = await this.donors.insertDonor(
          {
            code: generateDonorCode(),
            clinicId,
            externalRef: dto.externalRef ?? null,
            birthYear: dto.birthYear,
            sex: dto.sex,
            createdBy: user.id,
            createdAt: tx.now,
          },
          tx.manager,
        );
      }
      if (donor === null)
        throw new DomainError(ErrorCode.UNAVAILABLE, 'No free donor code could be drawn; retry');
      const consent = await this.donors.insertConsent(
        {
          donorId: donor.id,
          ...consentTerms(dto.consent),
          formVersion: dto.consent.formVersion ?? null,
          recordedBy: user.id,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      tx.audit({
        action: 'donor.registered',
        entityType: 'donor',
        entityId: donor.id,
        before: null,
        after: { ...donor, consent },
      });
      return donorView(donor, [], summariseScreening([]), [consent]);
    });
  }

  async recordScreening(
    user: AuthUser,
    donorId: string,
    dto: RecordScreeningDto,
  ): Promise<ScreeningRecordedDto> {
    // The route admits qa for one purpose: lifting (or confirming) a result by correction after an investigation.
    if (user.role === 'qa' && dto.correctsId === undefined) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'The qa role records corrections of screening results only (correctsId)',
      );
    }
    return this.transactions.run(actorOf(user), async (tx) => {
      // FOR UPDATE: screenings of one donor are recorded one at a time, and a batch being created for the donor
      // (FOR SHARE) either sees this result or is marked biohazard by it.
      const donor = await this.donors.lockById(donorId, 'UPDATE', tx.manager);
      if (!donor || !canSeeClinic(user, donor.clinicId)) throw notFound('Donor', donorId);
      const screenings = await this.donors.screeningsOf([donorId], tx.manager);
      const corrected = dto.correctsId === undefined ? null : this.correctable(user, screenings, dto);

      const entry = await this.donors.insertScreening(
        {
          donorId,
          marker: dto.marker,
          result: dto.result,
          testedAt: new Date(dto.testedAt),
          correctsId: corrected?.id ?? null,
          reason: dto.reason ?? null,
          recordedBy: user.id,
          recordedByRole: user.role,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      if (corrected && !(await this.donors.markScreeningSuperseded(corrected.id, entry.id, tx.manager))) {
        throw alreadyCorrected(corrected.id);
      }
      const before = summariseScreening(screenings);
      const after = summariseScreening([
        ...screenings.map((s) => (s.id === corrected?.id ? { ...s, supersededBy: entry.id } : s)),
        entry,
      ]);
      tx.audit({
        action: corrected ? 'donor.screening_corrected' : 'donor.screening_recorded',
        entityType: 'donor',
        entityId: donorId,
        before: { screeningStatus: before.status, corrected: corrected ?? null },
        after: { screeningStatus: after.status, screening: entry },
        reason: entry.reason,
      });
      if (after.status === ScreeningStatus.REACTIVE) await this.markBatchesBiohazard(tx, donorId, entry);
      return { ...screeningView(entry), donorId, screeningStatus: after.status };
    });
  }

  async recordConsent(user: AuthUser, donorId: string, dto: ConsentDto): Promise<ConsentRecordedDto> {
    const problems = consentFieldProblems(dto, '');
    if (problems.length > 0) throw validationFailed(problems);
    return this.transactions.run(actorOf(user), async (tx) => {
      // FOR UPDATE: a harvest or cryopreservation relying on the consent in force (FOR SHARE) waits for this one.
      const donor = await this.donors.lockById(donorId, 'UPDATE', tx.manager);
      if (!donor || !canSeeClinic(user, donor.clinicId)) throw notFound('Donor', donorId);
      const previous = await this.donors.currentConsent(donorId, tx.manager);
      const consent = await this.donors.insertConsent(
        {
          donorId,
          ...consentTerms(dto),
          formVersion: dto.formVersion ?? null,
          recordedBy: user.id,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      tx.audit({
        action: 'donor.consent_recorded',
        entityType: 'donor',
        entityId: donorId,
        before: previous,
        after: consent,
      });
      if (bankingTermsChanged(previous, consent))
        await this.announceBankingChange(tx, donor, previous, consent);
      return { ...consentView(consent), donorId, replacesId: previous?.id ?? null };
    });
  }

  // ---------------------------------------------------------------- reads

  async view(user: AuthUser, donorId: string): Promise<DonorViewDto> {
    const donor = await this.findVisible(user, donorId);
    const [screenings, consents, knees] = await Promise.all([
      this.donors.screeningsOf([donorId]),
      this.donors.consentsOf([donorId]),
      this.knees.latestOf([donorId]),
    ]);
    return donorView(donor, screenings, summariseScreening(screenings), consents, knees);
  }

  async list(user: AuthUser, query: ListDonorsQuery): Promise<Page<DonorViewDto>> {
    const rows = await this.donors.list(
      {
        scopeClinicId: clinicFilter(user),
        clinicId: query.clinicId ?? null,
        code: query.code?.toUpperCase() ?? null,
        externalRef: query.externalRef ?? null,
      },
      query.limit + 1,
      createdAtCursor(query.cursor),
    );
    const ids = rows.slice(0, query.limit).map((row) => row.id);
    const [screenings, consents, knees] = await Promise.all([
      this.donors.screeningsOf(ids),
      this.donors.consentsOf(ids),
      this.knees.latestOf(ids),
    ]);
    const screeningsOf = groupBy(screenings, (s) => s.donorId);
    const consentsOf = groupBy(consents, (c) => c.donorId);
    const kneesOf = groupBy(knees, (k) => k.donorId);
    return toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.id],
      (row) => {
        const own = screeningsOf.get(row.id) ?? [];
        return donorView(
          row,
          own,
          summariseScreening(own),
          consentsOf.get(row.id) ?? [],
          kneesOf.get(row.id) ?? [],
        );
      },
    );
  }

  // ---------------------------------------------------------------- rules

  /**
   * A doctor registers donors of their own clinic only; naming another clinic is 404, as that clinic does not
   * exist for them (rule 11). An admin names the clinic, which must exist.
   */
  private async clinicForNewDonor(
    user: AuthUser,
    requested: string | undefined,
    manager: EntityManager,
  ): Promise<string> {
    if (user.role === 'doctor') {
      if (requested !== undefined && requested !== user.clinicId) throw notFound('Clinic', requested);
      if (!user.clinicId) throw notFound('Clinic');
      return user.clinicId;
    }
    const clinicId = requested as string;
    if (!(await this.clinics.findById(clinicId, manager))) throw notFound('Clinic', clinicId);
    return clinicId;
  }

  /**
   * The entry a correction names: of this donor (404), a REACTIVE one only by qa (403: a reactive result is
   * lifted only after QA's investigation, as a failing QC result is), of the same marker (400), and not corrected
   * already (409: history does not fork).
   */
  private correctable(user: AuthUser, screenings: ScreeningRow[], dto: RecordScreeningDto): ScreeningRow {
    const target = screenings.find((s) => s.id === dto.correctsId);
    if (!target) throw notFound('Screening result', dto.correctsId);
    if (target.result === ScreeningResult.REACTIVE && user.role !== 'qa') {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only a qa user may correct a REACTIVE screening result', {
        correctsId: target.id,
      });
    }
    if (target.marker !== dto.marker) {
      throw validationFailed([
        {
          field: 'marker',
          errors: [`a correction repeats the marker of the entry it corrects (${target.marker})`],
        },
      ]);
    }
    if (target.supersededBy !== null) throw alreadyCorrected(target.id, target.supersededBy);
    return target;
  }

  /** docs/domain.md, rule 1: a reactive donor's batches are biohazard, in the transaction that made the donor reactive. */
  private async markBatchesBiohazard(
    tx: TransactionContext,
    donorId: string,
    cause: ScreeningRow,
  ): Promise<void> {
    const marked = await this.donors.markBatchesBiohazard(donorId, tx.now, tx.manager);
    for (const batch of marked) {
      tx.audit({
        action: 'batch.biohazard_marked',
        entityType: 'batch',
        entityId: batch.id,
        before: { biohazard: false },
        after: { biohazard: true, donorId, screeningId: cause.id, marker: cause.marker },
        reason: `Donor screening is REACTIVE (${cause.marker})`,
      });
    }
  }

  /** Other modules (the bank's review dates) react in this transaction; see BankingConsentChanged. */
  private async announceBankingChange(
    tx: TransactionContext,
    donor: DonorRow,
    previous: ConsentRow | null,
    consent: ConsentRow,
  ): Promise<void> {
    await this.events.publish(
      tx,
      new BankingConsentChanged(
        donor.id,
        donor.clinicId,
        consent.id,
        previous ? { banking: previous.banking, bankingExpiresAt: previous.bankingExpiresAt } : null,
        { banking: consent.banking, bankingExpiresAt: consent.bankingExpiresAt },
        previous?.banking === true && !consent.banking,
        tx.now,
      ),
    );
  }
}

function consentTerms(dto: ConsentDto): ConsentTerms {
  return {
    treatment: dto.treatment,
    banking: dto.banking,
    signedAt: new Date(dto.signedAt),
    bankingExpiresAt: dto.bankingExpiresAt === undefined ? null : new Date(dto.bankingExpiresAt),
  };
}

function consentFieldProblems(dto: ConsentDto, prefix: string): FieldError[] {
  return consentProblems(consentTerms(dto)).map((p) => ({ field: `${prefix}${p.field}`, errors: [p.error] }));
}

function birthYearProblems(birthYear: number, now: Date, timeZone: string): FieldError[] {
  const currentYear = Number(
    new Intl.DateTimeFormat('en-US-u-ca-gregory', { timeZone, year: 'numeric' }).format(now),
  );
  return birthYear > currentYear
    ? [{ field: 'birthYear', errors: ['birthYear must not be after the current year'] }]
    : [];
}

function alreadyCorrected(id: string, supersededBy?: string): DomainError {
  return new DomainError(
    ErrorCode.INVALID_TRANSITION,
    'This screening result was corrected already; correct the newest entry',
    {
      correctsId: id,
      ...(supersededBy ? { supersededBy } : {}),
    },
  );
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
