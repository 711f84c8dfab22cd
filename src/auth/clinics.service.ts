import { Injectable } from '@nestjs/common';
import { Page, PageQuery, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { EntityManager } from 'typeorm';
import { ClinicRow, ClinicsRepository } from './clinics.repository';
import { ClinicViewDto, clinicView } from './dto/clinic-view.dto';
import { CreateClinicDto } from './dto/create-clinic.dto';
import { createdAtCursor } from '../common/pagination/created-at-cursor';

@Injectable()
export class ClinicsService {
  constructor(
    private readonly clinics: ClinicsRepository,
    private readonly transactions: Transactions,
  ) {}

  /** A taken code is `409 DUPLICATE`, answered by the unique constraint so two racing requests agree. */
  /** A clinic by id, for modules that name one (a webhook's clinic); null when there is none. */
  findById(id: string): Promise<ClinicRow | null> {
    return this.clinics.findById(id);
  }

  /** Clinics by code, for imports that name clinics by code. */
  findByCodes(codes: readonly string[], manager?: EntityManager): Promise<ClinicRow[]> {
    return this.clinics.findByCodes(codes, manager);
  }

  async create(actor: AuthUser, dto: CreateClinicDto): Promise<ClinicViewDto> {
    const created = await this.transactions.run(actorOf(actor), async (tx) => {
      const row = await this.clinics.insert(
        { code: dto.code, name: dto.name, createdAt: tx.now },
        tx.manager,
      );
      tx.audit({ action: 'clinic.created', entityType: 'clinic', entityId: row.id, after: clinicView(row) });
      return row;
    });
    return clinicView(created);
  }

  async list(query: PageQuery): Promise<Page<ClinicViewDto>> {
    const rows = await this.clinics.list(query.limit + 1, createdAtCursor(query.cursor));
    return toPage(rows, query.limit, (row) => [row.cursorAt, row.id], clinicView);
  }
}
