import { Fhir } from 'fhir';
import {
  DoseProduct,
  FHIR_SYSTEMS,
  searchsetBundle,
  toBiologicallyDerivedProduct,
  VialProduct,
} from '../../../src/fhir/domain/biologically-derived-product';

const fhir = new Fhir();
const now = new Date('2026-11-24T12:00:00Z');

/** Valid means no message at all: not even a warning such as an unexpected property. */
function validationMessages(resource: object): unknown[] {
  return (fhir.validate(resource) as { messages: unknown[] }).messages;
}

const dose: DoseProduct = {
  kind: 'dose',
  id: '7c1e3a5b-9d2f-4b6a-8e0c-1a3b5d7f9e2c',
  label: 'X999926000042-D01',
  status: 'DISPATCHED',
  cells: 50_000_000,
  din: 'X999926000042',
  donorCode: 'D-7K3M9QXA',
  collectedAt: new Date('2026-10-20T09:00:00Z'),
  doseKind: 'FRESH',
  volumeMl: 5,
  formulatedAt: new Date('2026-11-24T08:00:00Z'),
  expiresAt: new Date('2026-11-25T08:00:00Z'),
  parentVialIds: [],
};

const vial: VialProduct = {
  kind: 'vial',
  id: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
  label: 'X999926000042-V001',
  status: 'STORED',
  cells: 2_000_000_000_000,
  din: 'X999926000042',
  donorCode: 'D-7K3M9QXA',
  collectedAt: null,
  frozenAt: new Date('2026-11-23T08:00:00Z'),
  location: 'LN2 Tank 3 / Rack A / Box 12, row 1, col 2',
  thawedAt: null,
};

describe('FHIR R4 BiologicallyDerivedProduct', () => {
  it('maps a dose to a valid resource with its label, DIN, donor code, cells, volume and shelf life', () => {
    const resource = toBiologicallyDerivedProduct(dose, now);
    expect(validationMessages(resource)).toEqual([]);
    expect(resource).toMatchObject({
      resourceType: 'BiologicallyDerivedProduct',
      id: dose.id,
      productCategory: 'cells',
      status: 'available',
      quantity: 1,
      identifier: [
        { system: FHIR_SYSTEMS.productLabel, value: 'X999926000042-D01' },
        { system: FHIR_SYSTEMS.din, value: 'X999926000042' },
      ],
      collection: {
        source: { identifier: { system: FHIR_SYSTEMS.donorCode, value: 'D-7K3M9QXA' } },
        collectedDateTime: '2026-10-20T09:00:00.000Z',
      },
      storage: [{ duration: { start: '2026-11-24T08:00:00.000Z', end: '2026-11-25T08:00:00.000Z' } }],
    });
    expect(resource.extension).toEqual([
      expect.objectContaining({
        url: FHIR_SYSTEMS.viableCells,
        valueQuantity: expect.objectContaining({ value: 5e7 }),
      }),
      expect.objectContaining({
        url: FHIR_SYSTEMS.volume,
        valueQuantity: expect.objectContaining({ value: 5 }),
      }),
    ]);
  });

  it('maps a vial to a valid resource; cell counts past 2^31 stay exact', () => {
    const resource = toBiologicallyDerivedProduct(vial, now);
    expect(validationMessages(resource)).toEqual([]);
    expect(resource.status).toBe('available');
    expect(resource.extension?.[0].valueQuantity?.value).toBe(2_000_000_000_000);
    expect(resource.storage?.[0].description).toContain('Box 12');
    expect(resource.collection?.collectedDateTime).toBeUndefined();
  });

  it.each([
    ['an expired dose', { ...dose, expiresAt: new Date('2026-11-24T11:00:00Z') }],
    ['an administered dose', { ...dose, status: 'ADMINISTERED' }],
    ['a recalled dose', { ...dose, status: 'RECALLED' }],
    ['a reserved vial', { ...vial, status: 'RESERVED' }],
    [
      'a thawed vial',
      { ...vial, status: 'THAWED', location: null, thawedAt: new Date('2026-11-24T10:00:00Z') },
    ],
  ])('says %s is unavailable', (_what, product) => {
    const resource = toBiologicallyDerivedProduct(product, now);
    expect(resource.status).toBe('unavailable');
    expect(validationMessages(resource)).toEqual([]);
  });

  it('points a booster dose at the vials it was made from', () => {
    const resource = toBiologicallyDerivedProduct(
      { ...dose, doseKind: 'BOOSTER', label: 'X999926000042-B01', parentVialIds: [vial.id] },
      now,
    );
    expect(resource.parent).toEqual([{ reference: `BiologicallyDerivedProduct/${vial.id}` }]);
    expect(validationMessages(resource)).toEqual([]);
  });

  it('wraps search results in a valid searchset Bundle', () => {
    const resources = [toBiologicallyDerivedProduct(dose, now), toBiologicallyDerivedProduct(vial, now)];
    const bundle = searchsetBundle(
      resources,
      'https://cpc.example.org/api/v1/fhir/',
      'https://cpc.example.org/api/v1/fhir/BiologicallyDerivedProduct?patient=D-7K3M9QXA',
    );
    expect(validationMessages(bundle)).toEqual([]);
    expect(bundle.total).toBe(2);
    expect(bundle.entry?.[1].fullUrl).toBe(
      `https://cpc.example.org/api/v1/fhir/BiologicallyDerivedProduct/${vial.id}`,
    );
  });

  it('the validator does catch a broken resource (so the checks above can fail)', () => {
    const broken = {
      ...toBiologicallyDerivedProduct(dose, now),
      productCategory: 'stem-cells',
      quantity: 'one',
    };
    expect(validationMessages(broken).length).toBeGreaterThan(0);
  });
});
