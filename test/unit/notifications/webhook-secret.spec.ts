import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  generateWebhookSecret,
  openWebhookSecret,
  SealedSecretError,
  sealingKeyFrom,
  sealWebhookSecret,
  webhookSecretKey,
} from '../../../src/notifications/domain/webhook-secret';
import { signWebhook } from '../../../src/notifications/domain/webhook-signature';

const sealing = sealingKeyFrom('a-long-random-webhook-secret-key-for-tests-0123456789');
const WEBHOOK_ID = '0b0e8a86-2d5c-4b8e-9d1f-3c6a2b4e8f10';

describe('webhook secrets: shown once, stored sealed', () => {
  it('generates a Standard Webhooks secret: whsec_ and base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(webhookSecretKey(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('opens what it sealed, and the sealed text does not contain the secret or its key bytes', () => {
    const secret = generateWebhookSecret();
    const sealed = sealWebhookSecret(secret, WEBHOOK_ID, sealing);
    expect(sealed).not.toContain(secret.slice(6));
    expect(sealed).not.toContain(webhookSecretKey(secret).toString('base64url'));
    expect(sealed.startsWith(`v1.${sealing.keyId}.`)).toBe(true);
    expect(openWebhookSecret(sealed, WEBHOOK_ID, sealing)).toBe(secret);
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    const secret = generateWebhookSecret();
    expect(sealWebhookSecret(secret, WEBHOOK_ID, sealing)).not.toBe(
      sealWebhookSecret(secret, WEBHOOK_ID, sealing),
    );
  });

  it("refuses a sealed secret copied onto another webhook's row", () => {
    const sealed = sealWebhookSecret(generateWebhookSecret(), WEBHOOK_ID, sealing);
    expect(() => openWebhookSecret(sealed, '9d1f3c6a-2b4e-4b8e-8f10-0b0e8a862d5c', sealing)).toThrow(
      SealedSecretError,
    );
  });

  it('refuses an altered ciphertext', () => {
    const sealed = sealWebhookSecret(generateWebhookSecret(), WEBHOOK_ID, sealing);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 0x01;
    parts[4] = body.toString('base64url');
    expect(() => openWebhookSecret(parts.join('.'), WEBHOOK_ID, sealing)).toThrow(SealedSecretError);
  });

  it('names the key it was sealed under when WEBHOOK_SECRET_KEY has changed', () => {
    const sealed = sealWebhookSecret(generateWebhookSecret(), WEBHOOK_ID, sealing);
    const other = sealingKeyFrom('another-key-entirely-another-key-entirely-0123');
    expect(() => openWebhookSecret(sealed, WEBHOOK_ID, other)).toThrow(new RegExp(sealing.keyId));
  });
});

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = generateWebhookSecret();
  const at = new Date('2026-11-24T09:30:00.750Z');
  const body = JSON.stringify({ type: 'flag.raised', timestamp: at.toISOString(), data: { id: 'f1' } });

  /** The spec, written out without the library: HMAC-SHA256 over `id.timestamp.body`, keyed by the secret's bytes. */
  function independentSignature(id: string, timestamp: string, payload: string): string {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${payload}`).digest('base64')}`;
  }

  it('signs v1,base64(HMAC-SHA256(id.timestamp.body)) with the timestamp in whole seconds', () => {
    const headers = signWebhook(secret, 'evt-1', at, body);
    expect(headers['webhook-id']).toBe('evt-1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toBe(
      independentSignature('evt-1', headers['webhook-timestamp'], body),
    );
  });

  it('gives another signature for another body, id or timestamp', () => {
    const base = signWebhook(secret, 'evt-1', at, body)['webhook-signature'];
    expect(signWebhook(secret, 'evt-1', at, `${body} `)['webhook-signature']).not.toBe(base);
    expect(signWebhook(secret, 'evt-2', at, body)['webhook-signature']).not.toBe(base);
    expect(signWebhook(secret, 'evt-1', new Date(at.getTime() + 1000), body)['webhook-signature']).not.toBe(
      base,
    );
  });

  it("verifies with the library's receiver side when signed now", () => {
    const now = new Date();
    const headers = signWebhook(secret, 'evt-9', now, body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
  });
});
