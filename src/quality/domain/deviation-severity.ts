/** How much a deviation from the procedure may affect the product; QA weighs it when closing. */
export const DEVIATION_SEVERITIES = ['MINOR', 'MAJOR', 'CRITICAL'] as const;
export type DeviationSeverity = (typeof DEVIATION_SEVERITIES)[number];
