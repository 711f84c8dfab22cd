import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import line codes (docs/imports.md, "What is checked"): every bad line of an import carries a stable machine
 * code beside its message (src/imports/domain/import-line-code.ts). The codes are listed here as they stand
 * today, so the check does not move when the enum does: a new code comes with its own migration.
 *
 * Errors recorded before this migration get their code from their message, which the importer wrote from a
 * fixed set of phrasings; the few left over are INVALID_VALUE (a column's format or range).
 */
const CODES = [
  'EMPTY_FILE',
  'UNKNOWN_COLUMN',
  'DUPLICATE_COLUMN',
  'MISSING_COLUMN',
  'UNREADABLE',
  'FIELD_COUNT',
  'INVALID_VALUE',
  'DIN_INVALID',
  'DIN_CHECK_MISMATCH',
  'VIAL_LABEL_INVALID',
  'FROZEN_IN_FUTURE',
  'VIAL_REPEATED',
  'POSITION_REPEATED',
  'DIN_OTHER_DONOR',
  'DONOR_DETAILS_DIFFER',
  'CLINIC_UNKNOWN',
  'DONOR_AMBIGUOUS',
  'DIN_CULTURED_HERE',
  'BATCH_CLOSED',
  'BOX_UNKNOWN',
  'POSITION_OUTSIDE_BOX',
  'STORAGE_UNSUITABLE',
  'POSITION_TAKEN',
];

export class ImportLineCodes1764000340000 implements MigrationInterface {
  name = 'ImportLineCodes1764000340000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_errors ADD COLUMN code text`);
    await db.query(`
      UPDATE import_errors SET code = CASE
        WHEN message LIKE 'unknown column %' THEN 'UNKNOWN_COLUMN'
        WHEN message = 'column given twice' THEN 'DUPLICATE_COLUMN'
        WHEN message = 'column missing from the header' THEN 'MISSING_COLUMN'
        WHEN message = 'the file is empty' THEN 'EMPTY_FILE'
        WHEN message LIKE 'the file cannot be read from here%' THEN 'UNREADABLE'
        WHEN message LIKE 'expected % fields, found %' THEN 'FIELD_COUNT'
        WHEN field = 'din' AND message LIKE 'must be a 13-character DIN%' THEN 'DIN_INVALID'
        WHEN field = 'vialLabel' AND message LIKE 'must be the DIN followed by%' THEN 'VIAL_LABEL_INVALID'
        WHEN message = 'lies in the future' THEN 'FROZEN_IN_FUTURE'
        WHEN message LIKE 'the same vial is on line %' THEN 'VIAL_REPEATED'
        WHEN message LIKE 'line % puts a vial in the same position' THEN 'POSITION_REPEATED'
        WHEN message LIKE 'line % gives this DIN to another donor' OR message = 'this DIN is another donor''s batch'
          THEN 'DIN_OTHER_DONOR'
        WHEN message LIKE 'line % gives this donor %' OR message LIKE 'donor % was registered %'
          THEN 'DONOR_DETAILS_DIFFER'
        WHEN message LIKE 'no clinic has the code %' THEN 'CLINIC_UNKNOWN'
        WHEN message LIKE '% donors of this clinic have this reference' THEN 'DONOR_AMBIGUOUS'
        WHEN message LIKE 'this DIN is a batch cultured here%' THEN 'DIN_CULTURED_HERE'
        WHEN field = 'din' AND message LIKE 'the batch is %' THEN 'BATCH_CLOSED'
        WHEN message = 'no such box' THEN 'BOX_UNKNOWN'
        WHEN message LIKE '% lies outside the box %' THEN 'POSITION_OUTSIDE_BOX'
        WHEN message LIKE 'the position holds vial %' THEN 'POSITION_TAKEN'
        WHEN field = 'boxId' THEN 'STORAGE_UNSUITABLE'
        ELSE 'INVALID_VALUE'
      END`);
    await db.query(`
      ALTER TABLE import_errors
        ALTER COLUMN code SET NOT NULL,
        ADD CONSTRAINT import_errors_code_known CHECK (code IN (${CODES.map((c) => `'${c}'`).join(', ')}))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_errors DROP COLUMN code`);
  }
}
