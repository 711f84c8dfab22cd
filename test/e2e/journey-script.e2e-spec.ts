import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_ADMIN } from '../support/test-env';

const SCRIPT = join(__dirname, '../../docs/journey.sh');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The README's journey is docs/journey.sh, so that what a new user runs is what the tests run: against one
 * database it passes, and passes again, and a failing call stops it with the server's answer.
 */
describe('docs/journey.sh against a running server', () => {
  let t: TestApp;
  let base: string;
  let folder: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const address = t.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1`;
    folder = mkdtempSync(join(tmpdir(), 'cpc-journey-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function journey(env: Record<string, string>): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        'bash',
        [SCRIPT],
        { env: { PATH: process.env.PATH ?? '', BASE: base, OUT_DIR: folder, ...env }, timeout: 120_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  const admin = { ADMIN_EMAIL: TEST_ADMIN.email, ADMIN_PASSWORD: TEST_ADMIN.password };

  it('takes a patient to the injection, twice against the same database', async () => {
    for (const attempt of [1, 2]) {
      const run = await journey(admin);
      if (run.code !== 0) throw new Error(`run ${attempt} exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
      expect(run.stdout).toContain('"status":"RELEASED"');
      expect(run.stdout).toContain('"status":"ADMINISTERED"');
      expect(run.stdout).toMatch(/"ok":true/);
      expect(readFileSync(join(folder, 'growth.svg'), 'utf8')).toMatch(/^<svg/);
      expect(readFileSync(join(folder, 'dose-label.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      expect(run.stdout).toContain('{"kind":"DISPATCHED","scanVerified":true}');
      expect(run.stdout).toContain('{"kind":"ADMINISTERED","scanVerified":true}');
      expect(readFileSync(join(folder, 'batch-record.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      expect(readFileSync(join(folder, 'certificate.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      expect(run.stdout).toContain('{"status":"REPORTED","late":false}');
      expect(run.stdout).toContain('{"patientsTreated":1,"hospitalizations":1}');
      expect(readFileSync(join(folder, 'periodic-report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    }
  }, 240_000);

  it('stops at the first failing call and shows what the server answered', async () => {
    const run = await journey({ ADMIN_EMAIL: 'nobody@journey.test', ADMIN_PASSWORD: 'not-a-password-1' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('"code":"UNAUTHENTICATED"');
    expect(run.stdout).toBe('');
  }, 60_000);
});
