import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { DonorsService } from './donors.service';
import {
  KneeAssessmentViewDto,
  kneeAssessmentView,
  RecordKneeAssessmentDto,
} from './dto/knee-assessment.dto';
import { KneeAssessmentEntity } from './knee-assessment.entity';
import { KneeAssessmentsRepository } from './knee-assessments.repository';

/**
 * Knee gradings (docs/outcomes.md, "Knees"): a doctor of the patient's clinic records them; the indication is
 * derived from the grade when shown, never stored, so one rule (domain/knee-indication.ts) speaks for it.
 */
@Injectable()
export class KneeAssessmentsService {
  constructor(
    private readonly assessments: KneeAssessmentsRepository,
    private readonly donors: DonorsService,
    private readonly transactions: Transactions,
  ) {}

  async record(
    user: AuthUser,
    donorId: string,
    dto: RecordKneeAssessmentDto,
  ): Promise<KneeAssessmentViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const donor = await this.donors.findVisible(user, donorId, tx.manager);
      const row: KneeAssessmentEntity = {
        id: randomUUID(),
        donorId: donor.id,
        knee: dto.knee,
        assessedAt: new Date(dto.assessedAt),
        kellgrenLawrence: dto.kellgrenLawrence,
        imaging: dto.imaging,
        notes: dto.notes ?? null,
        recordedBy: user.id,
        recordedAt: tx.now,
      };
      await this.assessments.insert(row, tx.manager);
      const view = kneeAssessmentView(row);
      tx.audit({ action: 'knee.assessed', entityType: 'knee_assessment', entityId: row.id, after: view });
      return view;
    });
  }
}
