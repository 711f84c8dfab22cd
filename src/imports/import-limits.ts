/** A legacy bank's file: 100,000 vials take about 15 MiB; far more is not one bank's inventory. */
export const IMPORT_BODY_LIMIT_BYTES = 64 * 1024 * 1024;
