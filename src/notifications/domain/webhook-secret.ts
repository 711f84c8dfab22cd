import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets (Standard Webhooks: `whsec_` followed by base64 of 24 to 64 random bytes).
 *
 * A signing secret cannot be stored as a hash, since the service needs it to sign every delivery. It is
 * shown to the admin once, when the webhook is created, and stored sealed: AES-256-GCM under a key kept
 * outside the database (WEBHOOK_SECRET_KEY), with the webhook's id as associated data, so a database dump
 * reveals no secret and a sealed secret copied onto another webhook's row does not open (docs/notifications.md).
 */

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
const SEALED_VERSION = 'v1';
const IV_BYTES = 12;

export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedSecretError';
  }
}

/** A fresh signing secret in the Standard Webhooks format. */
export function generateWebhookSecret(random: (size: number) => Buffer = randomBytes): string {
  return `${SECRET_PREFIX}${random(SECRET_BYTES).toString('base64')}`;
}

/** The raw key bytes of a `whsec_` secret (what the HMAC is keyed with). */
export function webhookSecretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new SealedSecretError('a webhook secret starts with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/**
 * The sealing key, derived from WEBHOOK_SECRET_KEY with HKDF so the configured text may be any long random
 * string; `keyId` names it (a hash prefix, never the key) so a secret sealed under another key is recognised.
 */
export interface SealingKey {
  key: Buffer;
  keyId: string;
}

export function sealingKeyFrom(material: string): SealingKey {
  const key = Buffer.from(hkdfSync('sha256', material, 'cpc-webhook-secrets', 'aes-256-gcm v1', 32));
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return { key, keyId };
}

/** `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts), bound to the webhook's id. */
export function sealWebhookSecret(secret: string, webhookId: string, sealing: SealingKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealing.key, iv);
  cipher.setAAD(Buffer.from(webhookId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [SEALED_VERSION, sealing.keyId, b64(iv), b64(tag), b64(ciphertext)].join('.');
}

export function openWebhookSecret(sealed: string, webhookId: string, sealing: SealingKey): string {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== SEALED_VERSION)
    throw new SealedSecretError('not a sealed webhook secret');
  const [, keyId, iv, tag, ciphertext] = parts;
  if (keyId !== sealing.keyId) {
    throw new SealedSecretError(
      `the secret was sealed under key ${keyId}, but WEBHOOK_SECRET_KEY is key ${sealing.keyId}`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealing.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(webhookId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealedSecretError('the sealed secret does not open (altered, or sealed for another webhook)');
  }
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}
