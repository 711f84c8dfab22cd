import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ContractApp, startContractApp } from './support/contract-app';

const REDOCLY = join(__dirname, '../../node_modules/.bin/redocly');
const CONFIG = join(__dirname, '../../config/redocly.yaml');

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

/** `redocly lint` of the served document with config/redocly.yaml, which says why each changed rule is changed. */
describe('Redocly lint of the OpenAPI document', () => {
  let contract: ContractApp;

  beforeAll(async () => {
    contract = await startContractApp();
  }, 60_000);
  afterAll(async () => {
    await contract?.close();
  });

  it('finds no error and no warning', async () => {
    const output = await new Promise<string>((resolve) => {
      execFile(
        REDOCLY,
        ['lint', contract.documentPath, '--config', CONFIG, '--format', 'json'],
        { maxBuffer: 64 * 1024 * 1024 },
        (_error, stdout) => resolve(stdout),
      );
    });
    const report = JSON.parse(output.slice(output.indexOf('{'))) as { problems: Problem[] };
    const problems = report.problems.map(
      (p) => `  ${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`,
    );
    if (problems.length > 0)
      throw new Error(`redocly lint found ${problems.length} problem(s):\n${problems.join('\n')}`);
  }, 60_000);
});
