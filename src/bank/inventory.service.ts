import { Injectable } from '@nestjs/common';
import { canSeeClinic, clinicFilter } from '../auth/clinic-scope';
import { notFound } from '../common/errors/domain-error';
import { decodeCursor, encodeCursor, Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { validationFailed } from '../common/validation/validation';
import { DonorInventoryDto, InventoryQuery, InventoryVialDto } from './dto/inventory.dto';
import { InventoryDonorRow, InventoryRepository, InventoryVialRow } from './inventory.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the bank holds, donor by donor: vials in the tanks, cells banked, positions and review dates. */
@Injectable()
export class InventoryService {
  constructor(private readonly inventory: InventoryRepository) {}

  /**
   * Donors in the order of their id. A doctor sees their own clinic only: another clinic's donor is 404, another
   * clinic's id as a filter finds nothing.
   */
  async inventoryOf(user: AuthUser, query: InventoryQuery): Promise<Page<DonorInventoryDto>> {
    const scope = clinicFilter(user);
    if (query.donorId !== undefined) {
      const donor = await this.inventory.donor(query.donorId);
      if (!donor || !canSeeClinic(user, donor.clinicId)) throw notFound('Donor', query.donorId);
      const shown = query.clinicId === undefined || query.clinicId === donor.clinicId ? [donor] : [];
      return { items: await this.withVials(shown), nextCursor: null };
    }
    if (scope !== null && query.clinicId !== undefined && query.clinicId !== scope)
      return { items: [], nextCursor: null };
    const donors = await this.inventory.donorsWithVials(
      scope ?? query.clinicId ?? null,
      donorCursor(query.cursor),
      query.limit + 1,
    );
    const page = donors.slice(0, query.limit);
    return {
      items: await this.withVials(page),
      nextCursor: donors.length > query.limit ? encodeCursor([page[page.length - 1].id]) : null,
    };
  }

  private async withVials(donors: readonly InventoryDonorRow[]): Promise<DonorInventoryDto[]> {
    const vials = await this.inventory.liveVialsOf(donors.map((donor) => donor.id));
    return donors.map((donor) =>
      donorInventory(
        donor,
        vials.filter((vial) => vial.donorId === donor.id),
      ),
    );
  }
}

function donorInventory(donor: InventoryDonorRow, vials: readonly InventoryVialRow[]): DonorInventoryDto {
  return {
    donorId: donor.id,
    donorCode: donor.code,
    clinicId: donor.clinicId,
    vialCount: vials.length,
    cellsBanked: vials.reduce((sum, vial) => sum + vial.cells, 0),
    cellsAvailable: vials
      .filter((vial) => vial.status === 'STORED')
      .reduce((sum, vial) => sum + vial.cells, 0),
    nextReviewAt: vials.length === 0 ? null : vials[0].nextReviewAt,
    vials: vials.map((vial): InventoryVialDto => ({
      id: vial.id,
      label: vial.label,
      batchId: vial.batchId,
      din: vial.din,
      status: vial.status,
      cells: vial.cells,
      boxId: vial.boxId,
      boxPath: vial.boxPath,
      row: vial.row,
      col: vial.col,
      frozenAt: vial.frozenAt,
      nextReviewAt: vial.nextReviewAt,
    })),
  };
}

function donorCursor(cursor: string | undefined): string | null {
  const key = decodeCursor(cursor, 1);
  if (key === null) return null;
  if (typeof key[0] !== 'string' || !UUID.test(key[0]))
    throw validationFailed([{ field: 'cursor', errors: ['cursor is not valid'] }]);
  return key[0];
}
