import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractApp, startContractApp } from './support/contract-app';
import {
  castsIn,
  Diagnostic,
  formatDiagnostics,
  generateClientTypes,
  typeCheck,
} from './support/typed-client';

const CLIENT = join(__dirname, 'client');

/**
 * A client generated from /docs-json (openapi-typescript + openapi-fetch) is only worth having if correct
 * code compiles against it without casts and wrong code does not.
 */
describe('the typed client generated from the OpenAPI document', () => {
  let contract: ContractApp;

  beforeAll(async () => {
    contract = await startContractApp();
    await generateClientTypes(contract.documentPath);
  }, 120_000);
  afterAll(async () => {
    await contract?.close();
  });

  it('compiles the main journey, which uses no casts', async () => {
    const casts = castsIn(join(CLIENT, 'journey.ts'));
    expect(casts).toEqual([]);

    const diagnostics = await typeCheck(join(CLIENT, 'tsconfig.journey.json'));
    if (diagnostics.length > 0)
      throw new Error(
        `The journey does not compile against the generated client (${diagnostics.length} error(s)):\n` +
          formatDiagnostics(diagnostics),
      );
  }, 120_000);

  it('refuses a wrong field type, in a request body and in a response', async () => {
    const file = join(CLIENT, 'wrong-field-type.ts');
    const marked = readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, index) => (text.includes('// wrong:') ? [index + 1] : []));
    expect(marked).toHaveLength(2);

    const diagnostics = await typeCheck(join(CLIENT, 'tsconfig.wrong.json'));
    const at = (d: Diagnostic) =>
      `${d.file.endsWith('wrong-field-type.ts') ? 'wrong-field-type.ts' : d.file}:${d.line}`;
    expect(diagnostics.map((d) => `${at(d)} ${d.code}`).sort()).toEqual(
      marked.map((line) => `wrong-field-type.ts:${line} TS2322`).sort(),
    );
  }, 120_000);
});
