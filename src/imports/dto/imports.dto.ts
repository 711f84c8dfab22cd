import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { DateTimeProperty, IntegerProperty, UuidProperty } from '../../common/http/view-properties';
import { BANK_INVENTORY_COLUMNS, RowError } from '../domain/bank-inventory-row';
import { ImportLineCode } from '../domain/import-line-code';

export class BankInventoryImportQuery {
  @ApiProperty({
    type: Boolean,
    example: true,
    description: 'true: check the file and report every bad line, storing nothing; false: import it (a job)',
  })
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun!: boolean;
}

export class InventoryLineErrorDto {
  @IntegerProperty({ example: 7, description: 'The line of the file (the header is line 1)' })
  line!: number;

  @ApiProperty({
    enum: ImportLineCode,
    enumName: 'ImportLineCode',
    example: ImportLineCode.INVALID_VALUE,
    description:
      'Why the line was refused, stable for machines (docs/imports.md, "What is checked"); `message` says it for ' +
      'people and may be reworded',
  })
  code!: ImportLineCode;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: [...BANK_INVENTORY_COLUMNS, null],
    example: 'cells',
    description: 'The column at fault; null when the line as a whole is (its number of fields, unreadable)',
  })
  field!: string | null;

  @ApiProperty({ example: 'must be a whole number of viable cells from 1 to 1e12' })
  message!: string;
}

export class DryRunResultDto {
  @IntegerProperty({ example: 1200, description: 'Data lines in the file (the header not counted)' })
  rows!: number;

  @ApiProperty({ type: [InventoryLineErrorDto], description: 'Every bad line, in file order' })
  errors!: InventoryLineErrorDto[];
}

export class ImportStartedDto {
  @UuidProperty({
    description: 'The import; the same as an unfinished import of the same file (a second request joins it)',
  })
  importId!: string;
}

export enum ImportStateValue {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

export class ImportViewDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ enum: ImportStateValue, example: ImportStateValue.RUNNING })
  state!: ImportStateValue;

  @IntegerProperty({ example: 100000, description: 'Data lines in the file' })
  total!: number;

  @IntegerProperty({ example: 42000, description: 'Lines done so far: banked, skipped or refused' })
  processed!: number;

  @IntegerProperty({ example: 41990, description: 'Vials banked by this import' })
  created!: number;

  @IntegerProperty({
    example: 0,
    description: 'Lines whose vial label is a vial already (imported before): left alone',
  })
  skipped!: number;

  @ApiProperty({ type: [InventoryLineErrorDto], description: 'Every bad line found so far, in file order' })
  errors!: InventoryLineErrorDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description:
      'Why the run stopped, when FAILED (what was banked stays; run the file again to complete it)',
  })
  failure!: string | null;

  @DateTimeProperty()
  requestedAt!: Date;

  @DateTimeProperty({ nullable: true })
  startedAt!: Date | null;

  @DateTimeProperty({ nullable: true })
  finishedAt!: Date | null;
}

export function lineErrorView(error: RowError): InventoryLineErrorDto {
  return { line: error.line, code: error.code, field: error.field, message: error.message };
}
