import { generateKeyPairSync } from 'node:crypto';
import { loadEnvironment } from '../../../config/environment';

const pem = (type: 'ed25519' | 'ed448'): string =>
  generateKeyPairSync(type as 'ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe('AUDIT_SIGNING_KEY', () => {
  it('takes an Ed25519 PKCS#8 PEM, also with its line breaks written as \\n', () => {
    const key = pem('ed25519');
    expect(loadEnvironment({ AUDIT_SIGNING_KEY: key }).auditSigningKey).toBe(key);
    const oneLine = key.trim().replace(/\n/g, '\\n');
    expect(loadEnvironment({ AUDIT_SIGNING_KEY: oneLine }).auditSigningKey).toBe(key.trim());
  });

  it('refuses another kind of key, and text that is no key, without echoing it', () => {
    for (const value of [pem('ed448'), 'not a key']) {
      expect(() => loadEnvironment({ AUDIT_SIGNING_KEY: value })).toThrow(
        'AUDIT_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM',
      );
    }
  });

  it('is required in production, and made for the process with a warning elsewhere', () => {
    expect(() => loadEnvironment({ NODE_ENV: 'production' })).toThrow(
      'AUDIT_SIGNING_KEY is required when NODE_ENV=production',
    );
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(loadEnvironment({}).auditSigningKey).toContain('BEGIN PRIVATE KEY');
      expect(warn.mock.calls.map((call) => String(call[0])).join('\n')).toContain(
        'AUDIT_SIGNING_KEY is not set',
      );
    } finally {
      warn.mockRestore();
    }
  });
});
