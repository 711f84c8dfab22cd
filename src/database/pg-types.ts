import { types } from 'pg';

/**
 * PostgreSQL returns `bigint` and `numeric` as strings (they may exceed a double). Our values do not: cell
 * counts stop at 1e12 and sums stay far below 2^53, so the API returns plain JSON numbers.
 */
const INT8 = 20;
const NUMERIC = 1700;
types.setTypeParser(INT8, (value) => Number(value));
types.setTypeParser(NUMERIC, (value) => Number(value));
