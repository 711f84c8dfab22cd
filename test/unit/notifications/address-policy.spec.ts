import {
  judgeAddress,
  judgeResolved,
  judgeWebhookUrl,
  literalAddress,
} from '../../../src/notifications/domain/address-policy';

const strict = { allowInsecure: false };
const insecure = { allowInsecure: true };

describe('webhook address policy (SSRF)', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['64:ff9b::7f00:1', 'non-public'],
    ['2002:7f00:1::', 'non-public'],
  ])('refuses %s (%s)', (address, kind) => {
    const verdict = judgeAddress(address);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain(kind);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111'])('allows the public address %s', (address) => {
    expect(judgeAddress(address)).toEqual({ allowed: true });
  });

  it('refuses what is not an address', () => {
    expect(judgeAddress('example.org').allowed).toBe(false);
  });

  it('reads literal addresses in URL hosts, brackets and all', () => {
    expect(literalAddress('[::1]')).toBe('::1');
    expect(literalAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(literalAddress('example.org')).toBeNull();
  });
});

describe('webhook URL rules', () => {
  it('allows an https URL with a name (its addresses are judged once resolved)', () => {
    expect(judgeWebhookUrl('https://hooks.example.org/cpc?x=1', strict).allowed).toBe(true);
  });

  it.each([
    ['http://hooks.example.org/', 'https'],
    ['ftp://hooks.example.org/', 'https'],
    ['not a url', 'absolute'],
    ['https://user:pass@hooks.example.org/', 'credentials'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://127.1/hook', 'loopback'],
    ['https://0x7f.0.0.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::ffff:10.0.0.1]/hook', 'IPv4-mapped'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    [`https://example.org/${'a'.repeat(2100)}`, 'at most'],
  ])('refuses %s (%s)', (url, why) => {
    const verdict = judgeWebhookUrl(url, strict);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain(why);
  });

  it('allows http and private addresses when insecure', () => {
    expect(judgeWebhookUrl('http://127.0.0.1:8080/hook', insecure).allowed).toBe(true);
    expect(judgeWebhookUrl('https://10.0.0.5/hook', insecure).allowed).toBe(true);
  });

  it('never sends plain http across a public network, even when insecure', () => {
    expect(judgeWebhookUrl('http://8.8.8.8/hook', insecure).allowed).toBe(false);
    const url = new URL('http://hooks.example.org/');
    expect(judgeResolved(url, ['10.0.0.5'], insecure).allowed).toBe(true);
    expect(judgeResolved(url, ['10.0.0.5', '93.184.216.34'], insecure).allowed).toBe(false);
  });

  it('refuses a name if any of its addresses is not public, and one that resolves to nothing', () => {
    const url = new URL('https://hooks.example.org/');
    expect(judgeResolved(url, ['93.184.216.34'], strict)).toEqual({ allowed: true });
    expect(judgeResolved(url, ['93.184.216.34', '10.0.0.1'], strict).allowed).toBe(false);
    expect(judgeResolved(url, [], strict).allowed).toBe(false);
  });
});
