import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { VialsService } from '../bank/vials.service';
import { BatchesService } from '../batches/batches.service';
import { BatchViewDto } from '../batches/dto/batch-view.dto';
import { wallClock } from '../common/clock/facility-calendar';
import { AuthUser } from '../common/transaction/auth-user';
import { DonorsService } from '../donors/donors.service';
import { DosesService } from '../doses/doses.service';
import { HarvestsService } from '../harvests/harvests.service';
import { doseDivision, LOCAL_PRODUCT_CODE, LOCAL_TYPE_OF_DONATION, NO_DIVISION } from './domain/isbt128';
import { LabelFacts, ProductCode } from './domain/label-content';
import { SubjectType } from './domain/subject-type';
import { LabelsRepository } from './labels.repository';
import { ProductForm } from './product-code.entity';

/** An item as the labels module sees it: what its label prints, its state, and its clinic (for scope). */
export interface LabelSubject {
  facts: LabelFacts;
  status: string;
}

/** States in which nothing more is labelled: the item is gone or must not be used. */
const UNLABELLABLE: ReadonlySet<string> = new Set(['DISCARDED', 'DESTROYED', 'RECALLED', 'REJECTED']);

const FORM_DESCRIPTIONS: Record<ProductForm, string> = {
  FRESH_DOSE: 'Autologous MSC, fresh dose',
  BOOSTER_DOSE: 'Autologous MSC, booster dose',
  CRYOPRESERVED: 'Autologous MSC, cryopreserved',
};

/**
 * Collects an item's label facts from the modules that own it, through their services, which also apply
 * clinic scope (another clinic's item is a 404 here too).
 */
@Injectable()
export class LabelSubjects {
  constructor(
    private readonly harvests: HarvestsService,
    private readonly batches: BatchesService,
    private readonly vials: VialsService,
    private readonly doses: DosesService,
    private readonly donors: DonorsService,
    private readonly labels: LabelsRepository,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  static labellable(status: string): boolean {
    return !UNLABELLABLE.has(status);
  }

  async find(user: AuthUser, subjectType: SubjectType, subjectId: string): Promise<LabelSubject> {
    switch (subjectType) {
      case 'HARVEST':
        return this.harvest(user, subjectId);
      case 'BATCH':
        return this.batch(user, subjectId);
      case 'VIAL':
        return this.vial(user, subjectId);
      case 'DOSE':
        return this.dose(user, subjectId);
    }
  }

  private async harvest(user: AuthUser, id: string): Promise<LabelSubject> {
    const harvest = await this.harvests.view(user, id);
    const facts: LabelFacts = {
      subjectType: 'HARVEST',
      subjectId: id,
      itemLabel: id,
      din: null,
      dinCheck: null,
      product: null,
      division: NO_DIVISION,
      donorCode: harvest.donorCode,
      biohazard: false,
      expiresAt: null,
      facts: [
        `Tissue ${harvest.tissue}, ${harvest.volumeMl} mL`,
        `Collected ${this.local(harvest.collectedAt)}`,
      ],
    };
    return { facts, status: harvest.status };
  }

  private async batch(user: AuthUser, id: string): Promise<LabelSubject> {
    const batch = await this.batches.view(user, id);
    return {
      facts: {
        ...(await this.ofBatch(batch, 'FRESH_DOSE')),
        subjectType: 'BATCH',
        subjectId: id,
        itemLabel: batch.din,
        facts: [`Product ${batch.productType}`, `Batch created ${this.local(batch.createdAt)}`],
      },
      status: batch.status,
    };
  }

  private async vial(user: AuthUser, id: string): Promise<LabelSubject> {
    const vial = await this.vials.get(user, id);
    const batch = await this.batches.view(user, vial.batchId);
    return {
      facts: {
        ...(await this.ofBatch(batch, 'CRYOPRESERVED')),
        subjectType: 'VIAL',
        subjectId: id,
        itemLabel: vial.label,
        facts: [
          `Frozen ${this.local(vial.frozenAt).slice(0, 10)}`,
          `Cells ${vial.cells.toLocaleString('en-US')}`,
        ],
      },
      status: vial.status,
    };
  }

  private async dose(user: AuthUser, id: string): Promise<LabelSubject> {
    const dose = await this.doses.get(user, id);
    const batch = await this.batches.view(user, dose.batchId);
    const booster = dose.kind === 'BOOSTER';
    const ordinal = Number(/-[DB](\d+)$/.exec(dose.label)?.[1] ?? '1');
    return {
      facts: {
        ...(await this.ofBatch(batch, booster ? 'BOOSTER_DOSE' : 'FRESH_DOSE')),
        subjectType: 'DOSE',
        subjectId: id,
        itemLabel: dose.label,
        division: doseDivision(ordinal),
        expiresAt: dose.expiresAt,
        facts: [
          `Cells ${Number(dose.cells).toLocaleString('en-US')} in ${Number(dose.volumeMl)} mL`,
          `Expires ${this.local(dose.expiresAt)}`,
        ],
      },
      status: dose.status,
    };
  }

  private async ofBatch(
    batch: BatchViewDto,
    form: ProductForm,
  ): Promise<Omit<LabelFacts, 'subjectType' | 'subjectId' | 'itemLabel' | 'facts'>> {
    return {
      din: batch.din,
      dinCheck: batch.dinCheck,
      product: await this.productCode(form),
      division: NO_DIVISION,
      donorCode: (await this.donors.codeOf(batch.donorId)) as string,
      biohazard: batch.biohazard,
      expiresAt: null,
    };
  }

  private async productCode(form: ProductForm): Promise<ProductCode> {
    const set = await this.labels.productCode(form);
    if (set)
      return {
        code: set.code,
        typeOfDonation: set.typeOfDonation,
        description: set.description,
        local: false,
      };
    return {
      code: LOCAL_PRODUCT_CODE,
      typeOfDonation: LOCAL_TYPE_OF_DONATION,
      description: FORM_DESCRIPTIONS[form],
      local: true,
    };
  }

  /** `YYYY-MM-DD HH:MM` on the facility's clock. */
  private local(at: Date): string {
    const t = wallClock(new Date(at).getTime(), this.env.facilityTz);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}`;
  }
}
