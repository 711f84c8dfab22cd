import { Inject, Injectable } from '@nestjs/common';
import type { BiologicallyDerivedProduct, Bundle } from '@medplum/fhirtypes';
import { appConfig, AppConfig } from '../../config/app.config';
import { VialsService } from '../bank/vials.service';
import { BatchesService } from '../batches/batches.service';
import { Clock } from '../common/clock/clock';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AuthUser } from '../common/transaction/auth-user';
import { DonorsService } from '../donors/donors.service';
import { DoseViewDto } from '../doses/dto/dose-view.dto';
import { DosesService } from '../doses/doses.service';
import { VialViewDto } from '../bank/dto/vial-view.dto';
import { ListVialsQuery } from '../bank/dto/list-vials.query';
import { PageQuery } from '../common/pagination/pagination';
import { ListDonorsQuery } from '../donors/dto/list-donors.query';
import {
  DoseProduct,
  searchsetBundle,
  toBiologicallyDerivedProduct,
  VialProduct,
} from './domain/biologically-derived-product';

/** A donor's products in one search: a patient banks tens of vials, not thousands. */
const MAX_PER_LIST = 200;

/**
 * The FHIR read API (docs/notifications.md, "FHIR"): doses and vials as BiologicallyDerivedProduct, read
 * through their owners' services, which apply clinic scope (a doctor reads their own clinic's products; any
 * other is 404 to read and absent from a search).
 */
@Injectable()
export class FhirService {
  constructor(
    private readonly doses: DosesService,
    private readonly vials: VialsService,
    private readonly donors: DonorsService,
    private readonly batches: BatchesService,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async read(user: AuthUser, id: string): Promise<BiologicallyDerivedProduct> {
    const dose = await this.doses.get(user, id).catch(notFoundAsNull);
    if (dose) return toBiologicallyDerivedProduct(await this.doseProduct(dose), this.clock.now());
    const vial = await this.vials.get(user, id).catch(notFoundAsNull);
    if (vial) return toBiologicallyDerivedProduct(vialProduct(vial), this.clock.now());
    throw notFound('BiologicallyDerivedProduct', id);
  }

  /** `?patient=<donor code>`: the donor's doses and vials, as one searchset Bundle. */
  async searchByPatient(user: AuthUser, patient: string): Promise<Bundle<BiologicallyDerivedProduct>> {
    const now = this.clock.now();
    const donors = await this.donors.list(
      user,
      Object.assign(new ListDonorsQuery(), { code: patient.trim(), limit: 1 }),
    );
    const donor = donors.items[0];
    const resources: BiologicallyDerivedProduct[] = [];
    if (donor) {
      for (const batchId of await this.batches.batchIdsOfDonor(donor.id)) {
        const page = await this.doses.listOfBatch(
          user,
          batchId,
          Object.assign(new PageQuery(), { limit: MAX_PER_LIST }),
        );
        for (const dose of page.items)
          resources.push(
            toBiologicallyDerivedProduct({ ...(await this.doseProduct(dose)), donorCode: donor.code }, now),
          );
      }
      const vials = await this.vials.list(
        user,
        Object.assign(new ListVialsQuery(), { donorId: donor.id, limit: MAX_PER_LIST }),
      );
      for (const vial of vials.items) resources.push(toBiologicallyDerivedProduct(vialProduct(vial), now));
    }
    const base = `${this.env.notifications.publicBaseUrl}/api/v1/fhir`;
    return searchsetBundle(
      resources,
      base,
      `${base}/BiologicallyDerivedProduct?patient=${encodeURIComponent(patient)}`,
    );
  }

  private async doseProduct(dose: DoseViewDto): Promise<DoseProduct> {
    return {
      kind: 'dose',
      id: dose.id,
      label: dose.label,
      status: dose.status,
      cells: dose.cells,
      din: dose.din,
      donorCode: (await this.donors.codeOf(dose.donorId)) ?? '',
      collectedAt: null,
      doseKind: dose.kind === 'BOOSTER' ? 'BOOSTER' : 'FRESH',
      volumeMl: dose.volumeMl,
      formulatedAt: dose.formulatedAt,
      expiresAt: dose.expiresAt,
      parentVialIds: [],
    };
  }
}

function vialProduct(vial: VialViewDto): VialProduct {
  return {
    kind: 'vial',
    id: vial.id,
    label: vial.label,
    status: vial.status,
    cells: vial.cells,
    din: vial.din,
    donorCode: vial.donorCode,
    collectedAt: null,
    frozenAt: vial.frozenAt,
    location: vial.position ? `${vial.boxPath}, row ${vial.position.row}, col ${vial.position.col}` : null,
    thawedAt: vial.thawedAt,
  };
}

function notFoundAsNull(error: unknown): null {
  if (error instanceof DomainError && error.code === ErrorCode.NOT_FOUND) return null;
  throw error;
}
