import { callRecord, statusOf, type ApiStatus } from '../switchover';
import { readStates } from './cluster-state';
import type { Output } from './output';
import type { Session } from './session';

/** What to do about Off/Off, as a command for the stage at hand. */
export function bothOffAdvice(stage: string): string {
  const stageFlag = stage === 'local' ? '' : ` --stage ${stage}`;
  return `Route 53 then answers the primary, but no routing control holds it there; put every API on its primary: npm run switch -- --all --to primary${stageFlag}`;
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

/** The routing controls of every API; with `probe`, what DNS and HTTP show beside them, asked at once. */
export async function status(session: Session, out: Output, { probe = false } = {}): Promise<void> {
  const { bookmark } = session;
  const [answer, reality] = await Promise.all([
    readStates(session.dataPlane, bookmark),
    probe ? import('./reality').then(({ probeReality }) => probeReality(bookmark)) : undefined,
  ]);
  const rows = statusOf(bookmark.services, answer.value);
  const endpoints = callRecord('read', answer);
  out.line(`Stage ${bookmark.stage}, cluster ${bookmark.clusterArn}`);
  out.line();
  for (const line of renderStatus(rows, bookmark.stage)) out.line(line);
  if (reality) {
    const { renderReality } = await import('./reality');
    out.line();
    out.line("What the zone's name servers answer and where each public URL answers from:");
    for (const line of renderReality(rows, reality)) out.line(line);
  }
  out.endpoints(endpoints);
  out.document({
    stage: bookmark.stage,
    clusterArn: bookmark.clusterArn,
    bookmark: session.bookmarkFile,
    apis: rows,
    ...(reality && { probe: reality }),
    endpoints: [endpoints],
  });
}
