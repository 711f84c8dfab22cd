import type {
  BiologicallyDerivedProduct,
  Bundle,
  BundleEntry,
  Extension,
  Identifier,
} from '@medplum/fhirtypes';

/**
 * Doses and vials as FHIR R4 (4.0.1) BiologicallyDerivedProduct resources, for clinics' systems
 * (docs/notifications.md, "FHIR"). Types come from @medplum/fhirtypes, so a field FHIR R4 does not have, or a
 * code outside its value set, does not compile.
 *
 * The donor appears only by the system's donor code (no Patient resource is served, and the system holds no
 * name); cell counts and volume, which R4 has no element for, travel in two extensions of our own.
 */

/** Identifier systems: stable names, the same in every deployment. */
export const FHIR_SYSTEMS = {
  productLabel: 'urn:cpc-tracker:product-label',
  din: 'urn:cpc-tracker:din',
  donorCode: 'urn:cpc-tracker:donor-code',
  viableCells: 'urn:cpc-tracker:fhir:viable-cells',
  volume: 'urn:cpc-tracker:fhir:volume',
} as const;

const UCUM = 'http://unitsofmeasure.org';

export type ProductKind = 'dose' | 'vial';

interface ProductBase {
  id: string;
  label: string;
  status: string;
  /** Viable cells in the dose or frozen in the vial. */
  cells: number;
  din: string;
  donorCode: string;
  /** When the tissue was collected at the clinic; null for a legacy batch imported without its harvest. */
  collectedAt: Date | null;
}

export interface DoseProduct extends ProductBase {
  kind: 'dose';
  doseKind: 'FRESH' | 'BOOSTER';
  volumeMl: number;
  formulatedAt: Date;
  expiresAt: Date;
  /** The vials a booster dose was made from. */
  parentVialIds: readonly string[];
}

export interface VialProduct extends ProductBase {
  kind: 'vial';
  frozenAt: Date;
  /** Where it stands, e.g. "LN2 Tank 3 / Rack A / Box 12, row 1, col 2"; null once it left the tank. */
  location: string | null;
  thawedAt: Date | null;
}

export type ProductRecord = DoseProduct | VialProduct;

/** A dose is available to the clinic until it is given, rejected, destroyed, recalled or expired. */
const DOSE_AVAILABLE = new Set(['FORMULATED', 'DISPATCHED', 'RECEIVED']);

export function isAvailable(product: ProductRecord, now: Date): boolean {
  if (product.kind === 'vial') return product.status === 'STORED';
  return DOSE_AVAILABLE.has(product.status) && product.expiresAt.getTime() > now.getTime();
}

export function toBiologicallyDerivedProduct(product: ProductRecord, now: Date): BiologicallyDerivedProduct {
  const identifier: Identifier[] = [
    { use: 'official', system: FHIR_SYSTEMS.productLabel, value: product.label },
    { use: 'secondary', system: FHIR_SYSTEMS.din, value: product.din },
  ];
  const extension: Extension[] = [
    {
      url: FHIR_SYSTEMS.viableCells,
      valueQuantity: { value: product.cells, unit: 'cells', system: UCUM, code: '{cells}' },
    },
  ];
  const resource: BiologicallyDerivedProduct = {
    resourceType: 'BiologicallyDerivedProduct',
    id: product.id,
    extension,
    identifier,
    productCategory: 'cells',
    productCode: { text: productDescription(product) },
    status: isAvailable(product, now) ? 'available' : 'unavailable',
    quantity: 1,
    collection: {
      source: {
        identifier: { system: FHIR_SYSTEMS.donorCode, value: product.donorCode },
        display: `Donor ${product.donorCode}`,
      },
      ...(product.collectedAt ? { collectedDateTime: product.collectedAt.toISOString() } : {}),
    },
  };
  return product.kind === 'dose' ? withDose(resource, product) : withVial(resource, product);
}

function withDose(resource: BiologicallyDerivedProduct, dose: DoseProduct): BiologicallyDerivedProduct {
  resource.extension?.push({
    url: FHIR_SYSTEMS.volume,
    valueQuantity: { value: dose.volumeMl, unit: 'mL', system: UCUM, code: 'mL' },
  });
  return {
    ...resource,
    ...(dose.parentVialIds.length > 0
      ? { parent: dose.parentVialIds.map((id) => ({ reference: `BiologicallyDerivedProduct/${id}` })) }
      : {}),
    processing: [
      { description: `Formulated (${dose.status})`, timeDateTime: dose.formulatedAt.toISOString() },
    ],
    storage: [
      {
        description: 'Shelf life: use before the end of this period',
        duration: { start: dose.formulatedAt.toISOString(), end: dose.expiresAt.toISOString() },
      },
    ],
  };
}

function withVial(resource: BiologicallyDerivedProduct, vial: VialProduct): BiologicallyDerivedProduct {
  return {
    ...resource,
    processing: [
      { description: `Cryopreserved (${vial.status})`, timeDateTime: vial.frozenAt.toISOString() },
    ],
    storage: [
      {
        description: vial.location ?? `Left the bank (${vial.status})`,
        duration: {
          start: vial.frozenAt.toISOString(),
          ...(vial.thawedAt ? { end: vial.thawedAt.toISOString() } : {}),
        },
      },
    ],
  };
}

function productDescription(product: ProductRecord): string {
  if (product.kind === 'vial') return 'Cultured adipose-derived stem cells, cryopreserved';
  return product.doseKind === 'BOOSTER'
    ? 'Cultured adipose-derived stem cells, booster dose (thawed)'
    : 'Cultured adipose-derived stem cells, fresh dose';
}

/** A `searchset` Bundle of the matching products, each entry with its full URL. */
export function searchsetBundle(
  resources: readonly BiologicallyDerivedProduct[],
  baseUrl: string,
  selfUrl: string,
): Bundle<BiologicallyDerivedProduct> {
  const base = baseUrl.replace(/\/+$/, '');
  const entry: BundleEntry<BiologicallyDerivedProduct>[] = resources.map((resource) => ({
    fullUrl: `${base}/BiologicallyDerivedProduct/${resource.id as string}`,
    resource,
    search: { mode: 'match' },
  }));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: selfUrl }],
    entry,
  };
}
