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
 * The opening every correctable command shares: none when the command corrects nothing; else the entry
 * `correctsId` names, looked up by the caller among the same record's entries of the same kind, or 404.
 * Check the command's state next, then {@link assertNotCorrected} (the contract's order: 404, then 409s).
 */
export async function correctionTarget<T extends CorrectableEntry>(
  correctsId: string | undefined,
  what: string,
  lookUp: (id: string) => Promise<T | null>,
): Promise<T | null> {
  if (correctsId === undefined) return null;
  const target = await lookUp(correctsId);
  if (!target) throw notFound(what, correctsId);
  return target;
}

/** Correcting an already corrected entry would fork history: refused (409). */
export function assertNotCorrected(target: CorrectableEntry, what: string): void {
  if (target.supersededBy) throw alreadyCorrected(what, target.id, target.supersededBy);
}

/**
 * The refusal of a second correction of one entry: when the check above saw it, or when marking the entry
 * superseded found another correction got there first (`supersededBy` unknown then).
 */
export function alreadyCorrected(what: string, correctsId: string, supersededBy?: string): DomainError {
  return new DomainError(
    ErrorCode.INVALID_TRANSITION,
    `This ${what} was corrected already; correct the newest entry`,
    { correctsId, ...(supersededBy ? { supersededBy } : {}) },
  );
}

/** {@link correctionTarget}'s 404 and {@link assertNotCorrected}'s 409 at once, on an entry already loaded. */
export function assertCorrectable<T extends CorrectableEntry>(
  correctsId: string,
  target: T | null | undefined,
  what: string,
): T {
  if (!target) throw notFound(what, correctsId);
  assertNotCorrected(target, what);
  return target;
}

/** The entries that count: those no other entry corrects. */
export function currentEntries<T extends CorrectableEntry>(entries: T[]): T[] {
  return entries.filter((entry) => entry.supersededBy === null);
}
