import net from 'node:net';
import type { Topology } from '@arc-failover/shared';
import { CommandError, UsageError } from '@arc-failover/shared/command';

/** Where each API listens in each Region: 127.0.<Region number>.<API number> unless configured. */
export const DEFAULT_API_ADDRESSES = '127.0.{region}.{api}';

/** A pattern that cannot work whatever the machine: a mistake on the command line. */
export class AddressPatternError extends UsageError {
  override name = 'AddressPatternError';
}

/** Addresses the machine lacks: fixed by adding loopback aliases, or by another pattern. */
export class AddressUnavailableError extends CommandError {
  override name = 'AddressUnavailableError';
}

/**
 * Each (API, Region)'s own loopback address from a pattern where {region} is the Region's number (its
 * place in the topology's sorted Regions, from 1) and {api} the API's (its place in topology.all, from 1).
 * Every address must be a distinct IPv4 address, so that a DNS answer names one deployment.
 */
export function apiAddresses(pattern: string, topology: Topology): Map<string, Map<string, string>> {
  if (!pattern.includes('{region}') || !pattern.includes('{api}')) {
    throw new AddressPatternError(
      `--api-addresses "${pattern}": needs both {region} and {api}, e.g. ${DEFAULT_API_ADDRESSES}`,
    );
  }
  const seen = new Set<string>();
  const addresses = new Map<string, Map<string, string>>();
  topology.all.forEach((api, apiIndex) => {
    const byRegion = new Map<string, string>();
    for (const region of api.regions) {
      const address = pattern
        .replaceAll('{region}', String(topology.regions.indexOf(region) + 1))
        .replaceAll('{api}', String(apiIndex + 1));
      if (net.isIPv4(address) === false) {
        throw new AddressPatternError(
          `--api-addresses "${pattern}": gives "${address}", not an IPv4 address`,
        );
      }
      if (seen.has(address)) {
        throw new AddressPatternError(`--api-addresses "${pattern}": gives ${address} twice`);
      }
      seen.add(address);
      byRegion.set(region, address);
    }
    addresses.set(api.name, byRegion);
  });
  return addresses;
}

/** The addresses this machine cannot listen on (e.g. 127.0.x.y on macOS, whose loopback has 127.0.0.1 only). */
export async function unavailableAddresses(addresses: string[]): Promise<string[]> {
  const results = await Promise.all(
    addresses.map(
      (address) =>
        new Promise<string | undefined>((resolve) => {
          const probe = net.createServer();
          probe.once('error', (error: NodeJS.ErrnoException) =>
            resolve(error.code === 'EADDRNOTAVAIL' ? address : undefined),
          );
          probe.listen(0, address, () => probe.close(() => resolve(undefined)));
        }),
    ),
  );
  return results.filter((address): address is string => address !== undefined);
}

/** Every deployment's address must exist before anything starts: one line naming them all and the fix. */
export async function checkAddresses(addresses: Map<string, Map<string, string>>): Promise<void> {
  const missing = await unavailableAddresses(
    [...addresses.values()].flatMap((byRegion) => [...byRegion.values()]),
  );
  if (missing.length === 0) return;
  throw new AddressUnavailableError(
    `${missing.join(', ')} ${missing.length === 1 ? 'is not an address' : 'are not addresses'} of this machine: on macOS add them with "for a in ${missing.join(' ')}; do sudo ifconfig lo0 alias $a up; done", or choose others with --api-addresses`,
  );
}
