import { GetHostedZoneCommand, type HostedZone, type Route53Client } from '@aws-sdk/client-route-53';
import type { Topology } from '@arc-failover/shared';
import type { Bookmark } from '../bookmark';
import { SyncError } from './errors';

/** Route 53's name servers answer DNS on the standard port. */
const DNS_PORT = 53;

/**
 * Peacetime: the stage's hosted zone's authoritative name servers (GetHostedZone → DelegationSet), which a
 * switch's proof asks directly, never a resolver. The zone is the topology's hostedZoneId, the one the
 * failover records are in; it must be the public zone of the topology's domain.
 */
export async function readNameServers(
  topology: Topology,
  route53: Route53Client,
): Promise<NonNullable<Bookmark['nameServers']>> {
  const { hostedZoneId: id, domain, stage } = topology;
  const fix = `set hostedZoneId of stage ${stage} to the public hosted zone of ${domain} and run sync again`;
  let zone: HostedZone | undefined;
  let servers: string[];
  try {
    const answer = await route53.send(new GetHostedZoneCommand({ Id: id }));
    zone = answer.HostedZone;
    servers = answer.DelegationSet?.NameServers ?? [];
  } catch (error) {
    const e = error as Error;
    if (e.name === 'CredentialsProviderError') throw error;
    if (e.name === 'NoSuchHostedZone') throw new SyncError(`hosted zone ${id} does not exist: ${fix}`);
    throw new SyncError(`reading hosted zone ${id} failed (${e.name}): ${e.message}`);
  }
  const name = (zone?.Name ?? '').replace(/\.$/, '').toLowerCase();
  if (name !== domain.toLowerCase()) {
    throw new SyncError(`hosted zone ${id} is for ${name || 'no name'}, not ${domain}: ${fix}`);
  }
  const hosts = servers.map((host) => host.replace(/\.$/, '')).filter(Boolean);
  if (zone?.Config?.PrivateZone || hosts.length === 0) {
    throw new SyncError(
      `hosted zone ${id} (${domain}) lists no name servers${zone?.Config?.PrivateZone ? ' (it is private)' : ''}, and a switch's proof asks them: ${fix}`,
    );
  }
  return hosts.map((host) => ({ host, port: DNS_PORT }));
}
