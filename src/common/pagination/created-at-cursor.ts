import { decodeCursor } from './pagination';
import { validationFailed } from '../validation/validation';

const UTC_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The keyset cursor of the newest-first lists here: `[created_at to the microsecond, id]`. Checked before it
 * reaches SQL, so a forged cursor is a 400 naming `cursor`, not a database error.
 */
export function createdAtCursor(cursor: string | undefined): [string, string] | null {
  const key = decodeCursor(cursor, 2);
  if (key === null) return null;
  const [at, id] = key;
  if (
    typeof at !== 'string' ||
    typeof id !== 'string' ||
    !UUID.test(id) ||
    !UTC_MICROS.test(at) ||
    Number.isNaN(Date.parse(at))
  ) {
    throw validationFailed([{ field: 'cursor', errors: ['cursor is not valid'] }]);
  }
  return [at, id];
}

/**
 * The cursor's time: created_at in UTC to the microsecond, as text, so the cursor compares exactly with the
 * column (a JavaScript Date would drop the microseconds). The expression (for a query builder's addSelect)
 * and the select-list item (for raw SQL).
 */
export const CREATED_AT_CURSOR_EXPRESSION = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
export const CREATED_AT_CURSOR_SQL = `${CREATED_AT_CURSOR_EXPRESSION} AS "cursorAt"`;
