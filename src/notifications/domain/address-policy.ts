import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may be sent (SSRF protection, docs/notifications.md). A webhook URL is chosen by an admin but
 * fetched by the server, from inside the facility's network: without these rules it could reach the database,
 * Redis, a cloud metadata service or any internal host. Only globally routable unicast addresses are allowed;
 * every other range ipaddr.js knows (private, loopback, link-local, unique-local, IPv4-mapped, NAT64, 6to4,
 * Teredo, carrier-grade NAT, multicast, reserved, unspecified...) is refused, unless WEBHOOK_ALLOW_INSECURE is
 * set for tests and closed networks. The check runs on every address the name resolves to, at registration and
 * again on each delivery, and the connection goes to the address that was checked (see webhook-sender.ts).
 */
export type Verdict = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: Verdict = { allowed: true };

/** Whether a resolved address is public. Anything that is not an IP address is refused. */
export function judgeAddress(address: string): Verdict {
  if (!ipaddr.isValid(address)) return { allowed: false, reason: `${address} is not an IP address` };
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (range === 'unicast') return ALLOWED;
  return { allowed: false, reason: `${address} is a ${describeRange(range)} address` };
}

/** Addresses that never leave the facility's own networks: http is tolerated only to these, and only when insecure. */
export function isNonPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.parse(address).range() !== 'unicast';
}

/** The literal IP address in a URL's host (IPv6 without its brackets), or null for a name. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare))
    ? bare
    : null;
}

export interface UrlRules {
  /** WEBHOOK_ALLOW_INSECURE: http and non-public addresses allowed (tests, closed networks). */
  allowInsecure: boolean;
}

export type UrlVerdict = { allowed: true; url: URL } | { allowed: false; reason: string };

const MAX_URL_LENGTH = 2048;

/**
 * The rules a URL must meet before any name is resolved: absolute, `https` (or `http` when insecure), no
 * credentials (they would be stored and shown with the URL), a host, and a literal IP address judged at once.
 */
export function judgeWebhookUrl(raw: string, rules: UrlRules): UrlVerdict {
  if (raw.length > MAX_URL_LENGTH)
    return { allowed: false, reason: `url must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'url must be an absolute URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && rules.allowInsecure)) {
    return {
      allowed: false,
      reason: rules.allowInsecure ? 'url must be https or http' : 'url must be https',
    };
  }
  if (url.username !== '' || url.password !== '')
    return { allowed: false, reason: 'url must not carry credentials' };
  if (url.hostname === '') return { allowed: false, reason: 'url must name a host' };
  const literal = literalAddress(url.hostname);
  if (literal !== null) {
    const verdict = judgeResolved(url, [literal], rules);
    if (!verdict.allowed) return verdict;
  }
  return { allowed: true, url };
}

/**
 * The rules on the addresses a URL's host resolved to: all must be public, unless insecure; and plain http
 * never crosses a public network, even when insecure (the body names patients' products).
 */
export function judgeResolved(url: URL, addresses: readonly string[], rules: UrlRules): Verdict {
  if (addresses.length === 0) return { allowed: false, reason: `${url.hostname} resolves to no address` };
  if (url.protocol === 'http:') {
    const publicOne = addresses.find((address) => !isNonPublicAddress(address));
    if (publicOne !== undefined)
      return {
        allowed: false,
        reason: `http is allowed to non-public addresses only, and ${publicOne} is public`,
      };
  }
  if (rules.allowInsecure) return ALLOWED;
  for (const address of addresses) {
    const verdict = judgeAddress(address);
    if (!verdict.allowed) return verdict;
  }
  return ALLOWED;
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    private: 'private',
    loopback: 'loopback',
    linkLocal: 'link-local',
    uniqueLocal: 'unique-local',
    ipv4Mapped: 'IPv4-mapped',
    unspecified: 'unspecified',
    multicast: 'multicast',
    broadcast: 'broadcast',
    carrierGradeNat: 'carrier-grade NAT',
    reserved: 'reserved',
  };
  return names[range] ?? `non-public (${range})`;
}
