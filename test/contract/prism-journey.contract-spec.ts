import { join } from 'node:path';
import type { RunJourney } from './client/journey-shape';
import { ContractApp, routeTemplate, startContractApp } from './support/contract-app';
import {
  conformanceFetch,
  Exchange,
  formatViolations,
  undeclaredFieldViolations,
  Violation,
} from './support/conformance-fetch';
import { PrismProxy, startPrismProxy } from './support/prism';
import { TEST_ADMIN } from '../support/test-env';

const JOURNEY = join(__dirname, 'client', 'journey');

/**
 * The main journey, with its error paths, run as a client through `prism proxy --errors` in front of the
 * real app and the document it serves: every request the client sends and every answer the server gives
 * must be what the document says.
 */
describe('the main journey through a validating proxy', () => {
  let contract: ContractApp;
  let prism: PrismProxy;

  beforeAll(async () => {
    contract = await startContractApp();
    prism = await startPrismProxy(contract.documentPath, contract.url);
  }, 120_000);
  afterAll(async () => {
    await prism?.stop();
    await contract?.close();
  });

  it('meets the document in every request and response', async () => {
    // Loaded by path: typed-client.contract-spec.ts type-checks the journey against the generated client,
    // so `npm run typecheck` does not need those generated types.
    const journey = (await import(JOURNEY)) as { runJourney: RunJourney };
    const violations: Violation[] = [];
    const exchanges: Exchange[] = [];
    const routeOf = (path: string) => routeTemplate(contract.document, path);
    const result = await journey.runJourney({
      baseUrl: prism.url,
      admin: TEST_ADMIN,
      fetch: conformanceFetch({
        prismUrl: prism.url,
        serverUrl: contract.url,
        routeOf,
        violations,
        exchanges,
      }),
    });
    expect(result.doseLabel).toBe(`${result.din}-D01`);
    expect(result.auditActions.length).toBeGreaterThan(10);
    violations.push(...undeclaredFieldViolations(contract.document, exchanges, routeOf));
    if (violations.length > 0) throw new Error(formatViolations(violations));
  }, 180_000);
});
