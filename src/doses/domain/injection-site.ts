/** Where a dose of cultured adipose-derived stem cells is injected: one knee joint. */
export const INJECTION_SITES = ['LEFT_KNEE', 'RIGHT_KNEE'] as const;
export type InjectionSite = (typeof INJECTION_SITES)[number];
