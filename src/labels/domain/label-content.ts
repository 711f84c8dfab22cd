import { dataStructure001, dataStructure003, dataStructure005, NO_DIVISION } from './isbt128';
import { ItemIdentity } from './subject-type';

export const AUTOLOGOUS_STATEMENT = 'FOR AUTOLOGOUS USE ONLY';
export const BIOHAZARD_STATEMENT = 'BIOHAZARD: donor tested reactive. Handle and store as infectious.';
export const LOCAL_PRODUCT_CODE_NOTE = 'local product code';

export interface ProductCode {
  code: string;
  typeOfDonation: string;
  description: string;
  /** True while no administrator has set the form's code: the label says so. */
  local: boolean;
}

/** The facts of one item that its label prints (collected by the labels service from the owners). */
export interface LabelFacts extends ItemIdentity {
  din: string | null;
  dinCheck: string | null;
  /** Null for a harvest, which is not a product yet. */
  product: ProductCode | null;
  /** `A0`.. for the n-th dose of a kind, `00` otherwise. */
  division: string;
  donorCode: string;
  biohazard: boolean;
  /** Doses only: data structure 005 and the printed expiry. */
  expiresAt: Date | null;
  /** Eye-readable lines beyond the fixed ones: cells and volume, frozen date... */
  facts: string[];
}

/** What one printed label carries: the symbols' contents and the eye-readable text. */
export interface LabelContent {
  ds001: string | null;
  ds003: string | null;
  ds005: string | null;
  /** The Code 128 symbol's content: data structure 001 (absent on a harvest's label, which has no DIN yet). */
  linear: string | null;
  dataMatrix: string;
  serial: string;
  /** Eye-readable DIN in its printed groups, the flags and the boxed check character. */
  dinText: { groups: string; flags: string; check: string } | null;
  lines: string[];
  biohazard: boolean;
}

export function labelContent(facts: LabelFacts, serial: string, timeZone: string): LabelContent {
  const ds001 = facts.din === null ? null : dataStructure001(facts.din);
  const ds003 =
    facts.product === null
      ? null
      : dataStructure003(facts.product.code, facts.product.typeOfDonation, facts.division ?? NO_DIVISION);
  const ds005 = facts.expiresAt === null ? null : dataStructure005(facts.expiresAt, timeZone);
  const structures = [ds001, ds003, ds005].filter((part): part is string => part !== null).join('');
  const dataMatrix = [structures, facts.itemLabel, serial].filter((part) => part !== '').join(' ');
  const product =
    facts.product === null
      ? []
      : [
          `${facts.product.description} (${facts.product.code}${facts.product.local ? `, ${LOCAL_PRODUCT_CODE_NOTE}` : ''})`,
        ];
  return {
    ds001,
    ds003,
    ds005,
    linear: ds001,
    dataMatrix,
    serial,
    dinText:
      facts.din === null
        ? null
        : {
            groups: `${facts.din.slice(0, 5)} ${facts.din.slice(5, 7)} ${facts.din.slice(7)}`,
            flags: '00',
            check: facts.dinCheck ?? '',
          },
    lines: [
      ...product,
      facts.itemLabel,
      `Donor ${facts.donorCode}`,
      AUTOLOGOUS_STATEMENT,
      ...facts.facts,
      `Serial ${serial}`,
    ],
    biohazard: facts.biohazard,
  };
}
