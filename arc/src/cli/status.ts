import { bothOff, servingRegion, type RoutingControlState } from '@arc-failover/shared';
import type { BookmarkService } from '../bookmark';
import { readStates } from './cluster-state';
import { endpointReport, type Output } from './output';
import { stateOf, type Role, type States } from './plan';
import type { Session } from './session';

export interface ApiStatus {
  name: string;
  hostname: string;
  controls: { region: string; role: Role; routingControlArn: string; state: RoutingControlState }[];
  servingRegion: string;
  servingRole: Role;
  bothOff: boolean;
}

/** What to do about Off/Off, as a command for the stage at hand. */
export function bothOffAdvice(stage: string): string {
  const stageFlag = stage === 'local' ? '' : ` --stage ${stage}`;
  return `Route 53 then answers the primary, but no routing control holds it there; put every API on its primary: npm run switch -- --all --to primary${stageFlag}`;
}

/** Each API's routing-control states and where its traffic goes; `states` must hold its two controls. */
export function statusOf(apis: readonly BookmarkService[], states: States): ApiStatus[] {
  return apis.map((api) => {
    const stateIn = (region: string) => stateOf(states, api.routingControls[region]!);
    const serving = servingRegion(api, stateIn);
    return {
      name: api.name,
      hostname: api.hostname,
      controls: (['primary', 'secondary'] as const).map((role) => {
        const region = role === 'primary' ? api.primaryRegion : api.secondaryRegion;
        return { region, role, routingControlArn: api.routingControls[region]!, state: stateIn(region) };
      }),
      servingRegion: serving,
      servingRole: serving === api.primaryRegion ? 'primary' : 'secondary',
      bothOff: bothOff(api, stateIn),
    };
  });
}

export function renderStatus(rows: ApiStatus[], stage: string): string[] {
  const table = [
    ['API', 'PRIMARY', 'SECONDARY', 'TRAFFIC ON'],
    ...rows.map((row) => [
      row.name,
      ...row.controls.map((c) => `${c.region} ${c.state}`),
      `${row.servingRegion} (${row.servingRole})${row.bothOff ? '  !! BOTH OFF' : ''}`,
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  const lines = table.map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('   ')
      .trimEnd(),
  );
  const off = rows.filter((row) => row.bothOff).map((row) => row.name);
  if (off.length > 0) {
    lines.push('', `!! ${off.join(', ')}: both routing controls Off. ${bothOffAdvice(stage)}`);
  }
  return lines;
}

export async function status(session: Session, out: Output): Promise<void> {
  const { bookmark } = session;
  const answer = await readStates(session.dataPlane, bookmark);
  const rows = statusOf(bookmark.services, answer.value);
  const endpoints = endpointReport('read', answer);
  out.line(`Stage ${bookmark.stage}, cluster ${bookmark.clusterArn}`);
  out.line();
  for (const line of renderStatus(rows, bookmark.stage)) out.line(line);
  out.endpoints(endpoints);
  out.document({
    stage: bookmark.stage,
    clusterArn: bookmark.clusterArn,
    bookmark: session.bookmarkFile,
    apis: rows,
    endpoints: [endpoints],
  });
}
