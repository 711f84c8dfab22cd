import { Inject, Injectable } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { appConfig, AppConfig } from '../../../config/app.config';

/** A signed tree head as the API shows it: hashes lower-case hex, `at` ISO 8601 UTC, signature base64. */
export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  at: string;
  signature: string;
  keyId: string;
}

/** The exact bytes an Ed25519 head signature covers (docs/audit-ledger.md). */
export function headMessage(treeSize: number, rootHash: string, at: string): Buffer {
  return Buffer.from(`cpc-audit-v1\n${treeSize}\n${rootHash}\n${at}`, 'utf8');
}

/**
 * Signs and checks tree heads with AUDIT_SIGNING_KEY, a key the database never holds: whoever can rewrite
 * the ledger's tables still cannot sign a head for the rewrite. The key id is the SHA-256 of the public
 * key's DER (SPKI), hex, so an auditor can tell which key a head claims.
 */
@Injectable()
export class HeadSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(@Inject(appConfig.KEY) env: AppConfig) {
    this.privateKey = createPrivateKey(env.auditSigningKey);
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = createHash('sha256')
      .update(this.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(treeSize: number, rootHash: string, at: string): string {
    return sign(null, headMessage(treeSize, rootHash, at), this.privateKey).toString('base64');
  }

  /** True when the signature over this head is ours; false for any other key or a malformed signature. */
  isOurs(treeSize: number, rootHash: string, at: string, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64) return false;
    return verify(null, headMessage(treeSize, rootHash, at), this.publicKey, bytes);
  }
}
