import type { RoutingControlState } from '@arc-failover/shared';
import { renderStatus } from '../../src/cli/status';
import { statusOf } from '../../src/switchover/api-status';
import { bookmarkFor } from '@arc-failover/testing';

const bookmark = bookmarkFor();
const arn = (api: string, region: string) =>
  bookmark.services.find((s) => s.name === api)!.routingControls[region]!;

function states(entries: [string, string, RoutingControlState][]): Map<string, RoutingControlState> {
  const all = new Map<string, RoutingControlState>(
    bookmark.services.flatMap((s) => Object.values(s.routingControls).map((a) => [a, 'Off'] as const)),
  );
  for (const [api, region, state] of entries) all.set(arn(api, region), state);
  return all;
}

describe('status', () => {
  // external-api and service1: us-east-1 primary; service2: us-west-2 primary
  const rows = statusOf(
    bookmark.services,
    states([
      ['external-api', 'us-east-1', 'On'],
      ['external-api', 'us-west-2', 'On'],
      ['service1', 'us-west-2', 'On'],
    ]),
  );

  it('says where traffic goes by the Route 53 failover rule', () => {
    expect(rows.map((r) => [r.name, r.servingRegion, r.servingRole, r.bothOff])).toEqual([
      ['external-api', 'us-east-1', 'primary', false], // On/On: the primary answers
      ['service1', 'us-west-2', 'secondary', false], // Off/On: the secondary answers
      ['service2', 'us-west-2', 'primary', true], // Off/Off: the primary answers, flagged
    ]);
  });

  it('lists each control by role, and flags Off/Off with the command that fixes it', () => {
    expect(renderStatus(rows, 'prod')).toEqual([
      'API            PRIMARY         SECONDARY       TRAFFIC ON',
      'external-api   us-east-1 On    us-west-2 On    us-east-1 (primary)',
      'service1       us-east-1 Off   us-west-2 On    us-west-2 (secondary)',
      'service2       us-west-2 Off   us-east-1 Off   us-west-2 (primary)  !! BOTH OFF',
      '',
      '!! service2: both routing controls Off. Route 53 then answers the primary, but no routing control holds it there; put every API on its primary: npm run switch -- --all --to primary --stage prod',
    ]);
  });
});
