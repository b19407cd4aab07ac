import net from 'node:net';
import type { Topology } from '@arc-failover/shared';

/** Where each API listens in each Region: 127.0.<Region number>.<API number> unless configured. */
export const DEFAULT_API_ADDRESSES = '127.0.{region}.{api}';

export class AddressPatternError extends Error {
  override name = 'AddressPatternError';
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
