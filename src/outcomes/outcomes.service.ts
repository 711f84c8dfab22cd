import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { canSeeClinic } from '../auth/clinic-scope';
import { notFound, unprocessable } from '../common/errors/domain-error';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { DonorsService } from '../donors/donors.service';
import { DoseStatus } from '../doses/domain/dose-state-machine';
import { DosesService } from '../doses/doses.service';
import { DonorOutcomesDto, OutcomeViewDto, RecordOutcomeDto } from './dto/outcome.dto';
import { OutcomeAssessmentEntity, OutcomeKnee } from './outcome-assessment.entity';
import { OutcomeFlags } from './outcome-flags.service';
import { OutcomeReader } from './outcome-reader.service';
import { OutcomesRepository } from './outcomes.repository';

/** `knee` matches an administration's site: LEFT is LEFT_KNEE. */
const SITE_OF_KNEE: Record<OutcomeKnee, string> = { LEFT: 'LEFT_KNEE', RIGHT: 'RIGHT_KNEE' };

/**
 * Pain outcomes per knee (docs/outcomes.md, "Outcomes"): baselines before treatment, follow-ups bound to the
 * dose injected into that knee. Everything judged (baseline, month, reductions, responder) is derived when
 * read from what was recorded, so a baseline entered late re-judges the follow-ups after it.
 */
@Injectable()
export class OutcomesService {
  constructor(
    private readonly outcomes: OutcomesRepository,
    private readonly reader: OutcomeReader,
    private readonly donors: DonorsService,
    private readonly doses: DosesService,
    private readonly flags: OutcomeFlags,
    private readonly transactions: Transactions,
  ) {}

  async record(user: AuthUser, dto: RecordOutcomeDto): Promise<OutcomeViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const donor = await this.donors.findVisible(user, dto.donorId, tx.manager);
      const assessedAt = new Date(dto.assessedAt);
      if (dto.doseId)
        await this.assertFollowUpOf(user, dto.doseId, donor.id, dto.knee, assessedAt, tx.manager);
      const row: OutcomeAssessmentEntity = {
        id: randomUUID(),
        donorId: donor.id,
        clinicId: donor.clinicId,
        knee: dto.knee,
        kind: dto.doseId ? 'FOLLOW_UP' : 'BASELINE',
        assessedAt,
        vasPain: dto.vasPain,
        koosPain: dto.koosPain ?? null,
        doseId: dto.doseId ?? null,
        recordedBy: user.id,
        recordedAt: tx.now,
      };
      await this.outcomes.insert(row, tx.manager);
      const views = await this.reader.kneeViews(donor.id, dto.knee, tx.manager);
      const view = views.find((v) => v.id === row.id) as OutcomeViewDto;
      tx.audit({
        action: 'outcome.recorded',
        entityType: 'outcome_assessment',
        entityId: row.id,
        after: view,
      });
      if (row.doseId) {
        await this.flags.followUpRecorded(tx, row.doseId);
        await this.flags.reconcileBoosterCandidate(tx, donor.id);
      }
      return view;
    });
  }

  async ofDonor(user: AuthUser, donorId: string): Promise<DonorOutcomesDto> {
    const donor = await this.donors.findVisible(user, donorId);
    const knees: DonorOutcomesDto['knees'] = [];
    for (const knee of ['LEFT', 'RIGHT'] as const) {
      const assessments = await this.reader.kneeViews(donor.id, knee);
      if (assessments.length > 0) knees.push({ knee, assessments });
    }
    return { donorId: donor.id, knees };
  }

  /**
   * The dose must be visible (404), the donor's, ADMINISTERED into this knee, and given before the
   * assessment; anything else is well-formed input the record contradicts (422 VALIDATION_FAILED).
   */
  private async assertFollowUpOf(
    user: AuthUser,
    doseId: string,
    donorId: string,
    knee: OutcomeKnee,
    assessedAt: Date,
    manager: EntityManager,
  ): Promise<void> {
    const dose = await this.doses.administrationOf(doseId, manager);
    if (!dose || !canSeeClinic(user, dose.clinicId)) throw notFound('Dose', doseId);
    const details = { doseId, label: dose.label, status: dose.status, site: dose.site };
    if (dose.donorId !== donorId) throw unprocessable("The dose is not the donor's", { doseId });
    if (dose.status !== DoseStatus.ADMINISTERED || !dose.administeredAt)
      throw unprocessable('The dose has not been administered', details);
    if (dose.site !== SITE_OF_KNEE[knee])
      throw unprocessable(`The dose was not injected into the ${knee} knee`, details);
    if (assessedAt.getTime() <= dose.administeredAt.getTime()) {
      throw unprocessable('A follow-up comes after the dose was given', {
        ...details,
        administeredAt: dose.administeredAt.toISOString(),
      });
    }
  }
}
