import { READ_MODEL_TABLES } from '../../../src/read-model/read-model.tables';
import { migrationTables, scanSources, TableReference } from '../../support/architecture/table-references';

/**
 * Owners of the tables that have no entity yet: the module whose repository is the table's one writer.
 * A new table gets an `@Entity('name')` in its module instead of a line here; part 2 of the structure work
 * moves these onto entities and empties the list, except the three whose code is another stream's
 * (audit_entries: the ledger's append function; idempotency_keys and auth_failures: raw SQL by design).
 */
const OWNERS_WITHOUT_ENTITY: Record<string, string> = {
  audit_entries: 'audit',
  // The ledger's tree: written only by its SQL functions (migrations/1764000420000-audit-ledger.ts).
  audit_leaves: 'audit',
  audit_tree_nodes: 'audit',
  audit_tree_heads: 'audit',
  audit_ledger_state: 'audit',
  auth_failures: 'auth',
  clinics: 'auth',
  users: 'auth',
  idempotency_keys: 'common/idempotency',
  outbox_events: 'jobs',
  donors: 'donors',
  donor_consents: 'donors',
  donor_screenings: 'donors',
  batches: 'batches',
  din_sequences: 'batches',
  batch_isolations: 'batches',
  batch_passages: 'batches',
  batch_cell_counts: 'batches',
  batch_final_harvests: 'batches',
  specifications: 'quality',
  qc_results: 'quality',
  deviations: 'quality',
  batch_decisions: 'quality',
  material_lots: 'materials',
  material_usages: 'materials',
  flags: 'flags',
  storage_units: 'bank',
  cryopreservations: 'bank',
  vials: 'bank',
  vial_events: 'bank',
  boosters: 'bank',
  storage_reviews: 'bank',
  bank_reconciliations: 'bank',
};

/**
 * Today's reads and writes of other modules' tables, file by file. TEMPORARY: part 2 of the structure work
 * routes each through the owner's service (or the read model) and deletes its line; nothing may be added.
 * A line that no longer matches the code fails the test, so the list only shrinks.
 */
const STRAYS_TO_REMOVE: string[] = [
  'src/bank/boosters.repository.ts reads batches',
  'src/bank/boosters.repository.ts reads donors',
  'src/bank/boosters.repository.ts reads qc_results',
  'src/bank/boosters.repository.ts reads specifications',
  'src/bank/inventory.repository.ts reads batches',
  'src/bank/inventory.repository.ts reads donors',
  'src/bank/storage-reviews.repository.ts reads donors',
  'src/bank/vial-records.repository.ts reads doses',
  'src/bank/vials.repository.ts reads batches',
  'src/bank/vials.repository.ts reads donors',
  'src/bank/vials.repository.ts reads users',
  'src/batches/batch-read.repository.ts reads batch_decisions',
  'src/batches/batch-read.repository.ts reads deviations',
  'src/batches/batch-read.repository.ts reads doses',
  'src/batches/batch-read.repository.ts reads harvests',
  'src/batches/batch-read.repository.ts reads qc_results',
  'src/batches/batch-read.repository.ts reads specifications',
  'src/batches/batch-steps.repository.ts reads harvests',
  'src/batches/batches.repository.ts reads deviations',
  'src/batches/batches.repository.ts reads qc_results',
  'src/batches/batches.repository.ts reads specifications',
  'src/common/transaction/transactions.service.ts writes outbox_events',
  'src/donors/donors.repository.ts writes batches',
  'src/health/health.service.ts reads outbox_events',
];

const READ_MODEL = 'read-model';

describe('table ownership (docs/architecture.md)', () => {
  const tables = migrationTables();
  const { references, entities } = scanSources(tables);
  const owners = new Map<string, string>(Object.entries(OWNERS_WITHOUT_ENTITY));
  for (const entity of entities) owners.set(entity.table, entity.module);

  const describeReference = (r: TableReference): string => `${r.file} ${r.access} ${r.table}`;
  const isOwn = (r: TableReference): boolean => owners.get(r.table) === r.module;
  const isReadModelRead = (r: TableReference): boolean =>
    r.module === READ_MODEL && r.access === 'reads' && READ_MODEL_TABLES.includes(r.table);

  it('gives every table of the migrations exactly one owner', () => {
    const declaredTwice = entities
      .filter((entity) => entity.table in OWNERS_WITHOUT_ENTITY)
      .map((entity) => `${entity.table}: an entity in ${entity.file} and a line in OWNERS_WITHOUT_ENTITY`);
    const entityTables = entities.map((entity) => entity.table);
    const twoEntities = entityTables.filter((table, index) => entityTables.indexOf(table) !== index);
    const unowned = [...tables].filter((table) => !owners.has(table));
    const unknown = [...owners.keys()].filter((table) => !tables.has(table));
    expect({ declaredTwice, twoEntities, unowned, unknown }).toEqual({
      declaredTwice: [],
      twoEntities: [],
      unowned: [],
      unknown: [],
    });
  });

  it("lets no module read or write another module's table, except through the read model", () => {
    const strays = references
      .filter((r) => !isOwn(r) && !isReadModelRead(r))
      .map(describeReference)
      .filter((stray) => !STRAYS_TO_REMOVE.includes(stray));
    expect(strays).toEqual([]);
  });

  it('lets the read model read only the tables it names, and write none', () => {
    const readModel = references.filter((r) => r.module === READ_MODEL);
    expect(readModel.length).toBeGreaterThan(0);
    expect(readModel.filter((r) => !isReadModelRead(r)).map(describeReference)).toEqual([]);
    expect([...READ_MODEL_TABLES].filter((table) => !tables.has(table))).toEqual([]);
  });

  it('keeps the temporary stray list true: every line still matches the code', () => {
    const current = new Set(references.filter((r) => !isOwn(r)).map(describeReference));
    expect(STRAYS_TO_REMOVE.filter((stray) => !current.has(stray))).toEqual([]);
  });

  it('sees SQL, table names and entity imports (the scanner finds what it is meant to)', () => {
    const seen = (file: string, access: string, table: string): boolean =>
      references.some((r) => r.file === file && r.access === access && r.table === table);
    // raw SQL with a constant folded in, a table picked from a map, and a write
    expect(seen('src/bank/vials.repository.ts', 'reads', 'storage_units')).toBe(true);
    expect(seen('src/read-model/readiness-facts.repository.ts', 'reads', 'flags')).toBe(true);
    expect(seen('src/batches/batches.repository.ts', 'writes', 'din_sequences')).toBe(true);
    // entities declare their owner
    expect(owners.get('harvests')).toBe('harvests');
    expect(owners.get('doses')).toBe('doses');
  });
});
