import { lookup as dnsLookup, LookupAddress, LookupAllOptions } from 'node:dns';
import { LookupFunction } from 'node:net';
import { judgeResolved, UrlRules } from '../domain/address-policy';

/** A name resolved to an address the rules refuse; the message says which, never anything secret. */
export class AddressRefusedError extends Error {
  readonly code = 'EADDRREFUSED';
  constructor(reason: string) {
    super(`address refused: ${reason}`);
    this.name = 'AddressRefusedError';
  }
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** Every address the operating system's resolver gives for a name (what a connection would use). */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    const options: LookupAllOptions = { all: true, verbatim: true };
    dnsLookup(hostname, options, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/**
 * The `lookup` of the delivery's socket. The socket connects to the address this function hands back, so the
 * name is resolved exactly once per connection and the address checked is the address used: a DNS server that
 * answers a public address to a first look-up and a private one to a second (DNS rebinding) gains nothing.
 * Every address of the answer must pass, not only the one connected to.
 */
export function guardedLookup(
  url: URL,
  rules: UrlRules,
  resolver: Resolver = systemResolver,
): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (addresses) => {
        const verdict = judgeResolved(
          url,
          addresses.map((entry) => entry.address),
          rules,
        );
        if (!verdict.allowed) {
          callback(new AddressRefusedError(verdict.reason), '', 0);
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = wanted === 0 ? addresses : addresses.filter((entry) => entry.family === wanted);
        if (usable.length === 0) {
          callback(new AddressRefusedError(`${hostname} has no IPv${wanted} address`), '', 0);
        } else if (options.all) {
          (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
