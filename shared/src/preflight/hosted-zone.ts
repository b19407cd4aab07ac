import {
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  type HostedZone,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { awsErrorName, couldNotCheck } from './aws-errors';

export type ZoneLookup = { zoneId: string; problem?: undefined } | { zoneId?: undefined; problem: string };

/** `/hostedzone/Z0123` -> `Z0123`: Route 53 answers ids with a prefix and takes them without. */
function zoneIdOf(zone: HostedZone): string {
  return (zone.Id ?? '').replace(/^\/hostedzone\//, '');
}

/** Route 53 names end with a dot; ours do not. */
const sameName = (zoneName: string | undefined, domain: string) =>
  (zoneName ?? '').toLowerCase().replace(/\.$/, '') === domain.toLowerCase();

/**
 * The public hosted zone named exactly `domain` (ListHostedZonesByName, read-only). No zone, only a
 * private one, or two public ones (pick with --zone-id) is a problem naming what to do.
 */
export async function findPublicHostedZone(route53: Route53Client, domain: string): Promise<ZoneLookup> {
  const named: HostedZone[] = [];
  try {
    // Zones come sorted by name from DNSName on: the ones named `domain` come first, over pages if many.
    let page: { DNSName?: string; HostedZoneId?: string } = { DNSName: domain };
    for (;;) {
      const answer = await route53.send(new ListHostedZonesByNameCommand(page));
      const zones = answer.HostedZones ?? [];
      named.push(...zones.filter((zone) => sameName(zone.Name, domain)));
      const more = answer.IsTruncated && sameName(answer.NextDNSName, domain);
      if (!more) break;
      page = { DNSName: answer.NextDNSName, HostedZoneId: answer.NextHostedZoneId };
    }
  } catch (error) {
    return { problem: couldNotCheck(`the hosted zones named ${domain}`, error) };
  }
  const publicZones = named.filter((zone) => !zone.Config?.PrivateZone);
  if (publicZones.length === 1) return { zoneId: zoneIdOf(publicZones[0]!) };
  if (publicZones.length > 1) {
    const ids = publicZones.map(zoneIdOf).join(', ');
    return {
      problem: `${publicZones.length} public hosted zones are named ${domain} (${ids}): pick the one the domain is delegated to with --zone-id`,
    };
  }
  if (named.length > 0) {
    return {
      problem: `${domain} has only a private hosted zone (${named.map(zoneIdOf).join(', ')}): create a public hosted zone for ${domain} in Route 53 and delegate the domain to its name servers`,
    };
  }
  return {
    problem: `no public hosted zone named ${domain} in this account: create a public hosted zone for ${domain} in Route 53 and delegate the domain to its name servers`,
  };
}

/**
 * Why the hosted zone `zoneId` cannot take the records of `domain` (GetHostedZone, read-only): it does
 * not exist, is for another name, or is private. `setting` names where the id came from.
 */
export async function hostedZoneProblem(
  route53: Route53Client,
  zoneId: string,
  domain: string,
  setting = 'hostedZoneId',
): Promise<string | undefined> {
  let zone: HostedZone | undefined;
  try {
    ({ HostedZone: zone } = await route53.send(new GetHostedZoneCommand({ Id: zoneId })));
  } catch (error) {
    if (awsErrorName(error) !== 'NoSuchHostedZone') return couldNotCheck(`hosted zone ${zoneId}`, error);
  }
  if (!zone) {
    return `hosted zone ${zoneId} does not exist in this account: create a public hosted zone for ${domain} and set ${setting} to its id`;
  }
  const name = (zone.Name ?? '').replace(/\.$/, '');
  if (!sameName(zone.Name, domain)) {
    return `hosted zone ${zoneId} is for ${name}, not ${domain}: set ${setting} to the public hosted zone of ${domain}`;
  }
  if (zone.Config?.PrivateZone) {
    return `hosted zone ${zoneId} (${domain}) is private, so the internet cannot resolve its records: create a public hosted zone for ${domain} and set ${setting} to its id`;
  }
  return undefined;
}
