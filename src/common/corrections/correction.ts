import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { DomainError, notFound } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/**
 * The correction convention (21 CFR 11.10(e): old values are never obscured): a recorded entry typed wrong
 * is corrected by a new entry naming it in `correctsId` with a `reason`. The old entry stays, marked
 * `supersededBy`; views and derived values use the correcting one. DTOs of correctable entries extend this.
 */
export class CorrectionFields {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The entry this one corrects; `reason` is then required.',
  })
  @IsUUID()
  @ValidateIf((o: CorrectionFields) => o.correctsId !== undefined)
  correctsId?: string;

  @ApiPropertyOptional({
    description: 'Why the corrected entry was wrong (required with correctsId).',
    maxLength: 2000,
  })
  @ValidateIf((o: CorrectionFields) => o.correctsId !== undefined || o.reason !== undefined)
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

/** The part of a stored entry the convention needs. */
export interface CorrectableEntry {
  id: string;
  supersededBy: string | null;
}

/**
 * Checks that `correctsId` names a current entry of the same record and kind, loaded by the caller (scoped
 * to the same batch or donor). Correcting an already corrected entry would fork history: refused.
 */
export function assertCorrectable<T extends CorrectableEntry>(
  correctsId: string,
  target: T | null | undefined,
  what: string,
): T {
  if (!target) throw notFound(what, correctsId);
  if (target.supersededBy) {
    throw new DomainError(
      ErrorCode.INVALID_TRANSITION,
      `This ${what} was corrected already; correct the newest entry`,
      {
        correctsId,
        supersededBy: target.supersededBy,
      },
    );
  }
  return target;
}

/** The entries that count: those no other entry corrects. */
export function currentEntries<T extends CorrectableEntry>(entries: T[]): T[] {
  return entries.filter((entry) => entry.supersededBy === null);
}
