import type {
  ApprovalStepReport,
  ExecutionReport,
  StepReport,
  SwitchStepReport,
  WaitStepReport,
} from './model';

/**
 * The report as Markdown for an incident record: who ran what and when, the timeline (the SVG beside it,
 * `svgFileName` relative to the Markdown file), the runbook's evaluation, then each step as it went, and the
 * outcome. Every value taken from the report is escaped, so a name or an error cannot break a table.
 */
export function renderMarkdown(report: ExecutionReport, svgFileName: string): string {
  const lines: string[] = [
    `# ${inline(reportTitle(report))}`,
    '',
    ...facts(report),
    '',
    embed(svgFileName),
    '',
  ];
  if (report.evaluation) {
    lines.push(
      '## Evaluation',
      '',
      ...table(
        ['check', 'result', 'detail'],
        report.evaluation.map((e) => [inline(e.check), e.ok ? 'ok' : '**not ok**', inline(e.detail)]),
      ),
      '',
    );
  }
  for (const step of report.steps) lines.push(...stepSection(report, step), '');
  lines.push('## Outcome', '', `**${report.outcome}**${exitCodeOf(report)}`);
  if (report.error !== undefined) lines.push('', `Error: ${code(report.error)}`);
  return `${lines.join('\n')}\n`;
}

/** "Switch service1 to us-west-2 on stage prod: proven"; "Runbook drain-east on stage prod: failed". */
export function reportTitle(report: ExecutionReport): string {
  if (report.kind === 'runbook') {
    return `Runbook ${report.runbook ?? '(unnamed)'} on stage ${report.stage}: ${report.outcome}`;
  }
  const step = report.steps.find((s): s is SwitchStepReport => s.kind === 'switch');
  if (!step) return `Switch on stage ${report.stage}: ${report.outcome}`;
  const names = step.apis.map((a) => a.api);
  const which =
    names.length === 0 ? '' : names.length <= 3 ? ` ${names.join(', ')}` : ` ${names.length} APIs`;
  return `Switch${which} to ${step.target} on stage ${report.stage}: ${report.outcome}`;
}

/** "0 s", "1.2 s", "30 s", "95.4 s", "312 s": tenths under 100 s. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Math.abs(seconds) < 100 ? Number(seconds.toFixed(1)) : Math.round(seconds)} s`;
}

function facts(report: ExecutionReport): string[] {
  const { who } = report;
  const duration = durationOf(report.startedAt, report.finishedAt);
  return [
    `- **Outcome:** ${report.outcome}${exitCodeOf(report)}`,
    `- **Who:** ${inline(who.user)} on ${inline(who.host)}${who.accessKeyId ? ` (access key ${code(who.accessKeyId)})` : ''}`,
    `- **Started:** ${inline(report.startedAt)}`,
    `- **Finished:** ${report.finishedAt ? inline(report.finishedAt) : 'not recorded (the run did not finish)'}`,
    ...(duration ? [`- **Duration:** ${duration}`] : []),
    `- **Command line:** ${code(commandLine(report.argv))}`,
    `- **Stage:** ${inline(report.stage)}; **cluster:** ${code(report.clusterArn)}`,
    `- **Report id:** ${code(report.id)}`,
    ...(report.skippedReadiness ? ['- **Readiness:** skipped (--skip-readiness, break glass)'] : []),
    ...(report.resumedFrom ? [`- **Resumed from:** ${code(report.resumedFrom)}`] : []),
  ];
}

const READINESS_SKIPPED = 'readiness skipped (--skip-readiness, break glass)';

function embed(file: string): string {
  // a destination with spaces or parentheses needs the <…> form
  return /[\s()<>]/.test(file) ? `![timeline](<${file.replace(/[<>]/g, '')}>)` : `![timeline](${file})`;
}

function stepSection(report: ExecutionReport, step: StepReport): string[] {
  const name =
    step.kind === 'switch'
      ? `switch to ${step.target}`
      : step.kind === 'approval'
        ? 'approval'
        : `wait ${formatSeconds(step.seconds * 1000)}`;
  const heading =
    report.kind === 'runbook' ? `Step ${step.index + 1}: ${name}` : name[0]!.toUpperCase() + name.slice(1);
  const duration = durationOf(step.startedAt, step.finishedAt);
  const lines = [
    `## ${inline(heading)} — ${step.outcome}`,
    '',
    step.startedAt
      ? `Started ${inline(step.startedAt)}${step.finishedAt ? `, finished ${inline(step.finishedAt)}` : ''}${duration ? ` (${duration})` : ''}.`
      : 'Not started.',
  ];
  if (step.error !== undefined) lines.push('', `Error: ${code(step.error)}`);
  for (const note of step.notes ?? []) lines.push('', `Note: ${inline(note)}`);
  const body =
    step.kind === 'switch'
      ? switchStep(report, step)
      : step.kind === 'approval'
        ? approvalStep(step)
        : waitStep(step);
  return [...lines, '', ...body];
}

function switchStep(report: ExecutionReport, step: SwitchStepReport): string[] {
  const lines = [
    '### Plan',
    '',
    ...(step.apis.length === 0
      ? ['No plan: the step stopped before it could read the states.']
      : table(
          ['API', 'hostname', 'from → to', 'role', 'change'],
          step.apis.map((a) => [
            inline(a.api),
            code(a.hostname),
            `${inline(a.from)} → ${inline(a.to)}`,
            a.role,
            a.changes ? 'yes' : 'no (already in place)',
          ]),
        )),
  ];
  if (step.overrides.length > 0) {
    lines.push('', `Overriding safety rules (break glass): ${step.overrides.map(code).join(', ')}`);
  }
  lines.push('', '### Readiness', '', ...readiness(report, step));
  lines.push('', '### Update', '', ...update(step));
  lines.push('', '### Endpoints', '', ...endpoints(step));
  lines.push('', '### Read back', '', ...readBack(step));
  lines.push('', '### Proof', '', ...proof(step));
  return lines;
}

function readiness(report: ExecutionReport, step: SwitchStepReport): string[] {
  if (step.readiness && step.readiness.length > 0) {
    return table(
      ['API', 'Region', 'URL', 'answer', 'ready', 'ms'],
      step.readiness.map((r) => [
        inline(r.api),
        inline(r.region),
        code(r.url),
        inline(r.answer),
        r.ready ? 'ready' : '**not ready**',
        String(r.elapsedMs),
      ]),
    );
  }
  if (step.readinessSkipped || report.skippedReadiness) return [`${capital(READINESS_SKIPPED)}.`];
  if (step.apis.length === 0) return ['No readiness check: nothing was planned.'];
  if (step.apis.every((a) => !a.changes)) return ['No readiness check: nothing moves.'];
  return ['No readiness answers recorded (the step stopped before its readiness check).'];
}

function update(step: SwitchStepReport): string[] {
  const calls = (n: number) =>
    n === 1 ? 'one UpdateRoutingControlStates call' : `${n} UpdateRoutingControlStates calls`;
  if (step.batches.length === 0) {
    return [
      step.apis.length > 0 && step.apis.every((a) => !a.changes)
        ? 'No update sent: every API already has its target states.'
        : 'No update sent.',
    ];
  }
  if (!step.updateSentAt) return [`No update sent (${calls(step.batches.length)} planned).`];
  const atomic =
    step.batches.length === 1
      ? 'applied all together or not at all'
      : 'not atomic across calls: each applied or not on its own';
  return [
    `Update sent at ${inline(step.updateSentAt)}: ${calls(step.batches.length)}, ${atomic}.`,
    '',
    ...table(
      ['batch', 'APIs', 'entries', 'accepted by'],
      step.batches.map((b, i) => [
        `${i + 1}/${step.batches.length}`,
        b.apis.map(inline).join(', '),
        String(b.entries.length),
        b.applied ? inline(b.endpoint ?? 'an endpoint') : '**not applied**',
      ]),
    ),
  ];
}

function endpoints(step: SwitchStepReport): string[] {
  if (step.endpoints.length === 0) return ['No data-plane call recorded.'];
  const at = (e: { region: string; url: string }) => `${inline(e.region)} ${code(e.url)}`;
  return table(
    ['call', 'answered by', 'failed endpoints', 'slower, abandoned'],
    step.endpoints.map((c) => [
      inline(c.call),
      c.answeredBy ? at(c.answeredBy) : c.rejectedBy ? `rejected by ${at(c.rejectedBy)}` : '**none**',
      c.failed.length === 0
        ? '—'
        : c.failed.map((f) => `${at(f)}: ${inline(f.kind)} (${inline(f.reason)})`).join('; '),
      !c.abandoned || c.abandoned.length === 0
        ? '—'
        : c.abandoned.map((a) => `${at(a)} after ${a.elapsedMs} ms`).join('; '),
    ]),
  );
}

function readBack(step: SwitchStepReport): string[] {
  if (!step.readBack || step.readBack.length === 0) return ['Not read back.'];
  return [
    ...table(
      ['API', 'states', 'serving Region'],
      step.readBack.map((s) => [
        inline(s.name),
        s.controls.map((c) => `${inline(c.region)} ${c.state} (${c.role})`).join(', '),
        `${inline(s.servingRegion)} (${s.servingRole})${s.bothOff ? ' — **both Off**: Route 53 fails open to the primary' : ''}`,
      ]),
    ),
    '',
    step.verified === true
      ? 'Verified: the read back shows every target state.'
      : step.verified === false
        ? '**Not verified**: the read back shows APIs off their target states.'
        : 'Not verified.',
  ];
}

function proof(step: SwitchStepReport): string[] {
  const result = step.proof;
  if (!result) {
    return [step.readBack ? 'No proof: where traffic goes is as read back, not observed.' : 'No proof.'];
  }
  const timeout = formatSeconds(result.timeoutMs);
  const slowest = Math.max(0, ...result.apis.flatMap((p) => [p.dnsMs ?? 0, p.httpMs ?? 0]));
  const within = (ms: number | undefined) =>
    ms === undefined ? `**not within ${timeout}**` : formatSeconds(ms);
  return [
    result.proven
      ? `Proven: every API's name servers and public URL answered its target Region within ${formatSeconds(slowest)} of the update (timeout ${timeout}).`
      : `**Not proven within ${timeout}** (waited ${formatSeconds(result.waitedMs)} after the update).`,
    '',
    ...table(
      [
        'API',
        'Region',
        'time to DNS',
        'time to HTTP',
        'name server asked',
        'last DNS answer',
        'public URL',
        'last HTTP answer',
      ],
      result.apis.map((p) => [
        inline(p.api),
        inline(p.region),
        within(p.dnsMs),
        within(p.httpMs),
        p.nameServer ? code(p.nameServer) : '—',
        p.lastDns ? inline(p.lastDns) : '—',
        p.publicUrl ? code(p.publicUrl) : '—',
        p.lastHttp ? inline(p.lastHttp) : '—',
      ]),
    ),
  ];
}

function approvalStep(step: ApprovalStepReport): string[] {
  return [
    `- **Via:** ${step.via === 'gate' ? "the cluster's approval gate" : 'asked on the terminal (no gate)'}`,
    `- **For:** ${step.apis.length > 0 ? step.apis.map(inline).join(', ') : 'the next switch step'}`,
    `- **Approved by:** ${step.approvedBy ? inline(step.approvedBy) : 'not recorded'}`,
    `- **Waited:** ${step.waitedMs !== undefined ? formatSeconds(step.waitedMs) : 'not recorded'}`,
    ...(step.note ? [`- **Note:** ${inline(step.note)}`] : []),
  ];
}

function waitStep(step: WaitStepReport): string[] {
  return [`Waits ${formatSeconds(step.seconds * 1000)} before the next step.`];
}

function exitCodeOf(report: ExecutionReport): string {
  return report.exitCode !== undefined ? ` (exit code ${report.exitCode})` : '';
}

function durationOf(start: string | undefined, end: string | undefined): string | undefined {
  if (!start || !end) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) ? formatSeconds(Math.max(0, ms)) : undefined;
}

/** The arguments as a shell would take them back. */
function commandLine(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function table(head: string[], rows: string[][]): string[] {
  const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [row(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(row)];
}

/** A table cell: every pipe escaped (inside code spans too, as GitHub's tables require), on one line. */
function cell(value: string): string {
  return value.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Prose from the report: Markdown's and HTML's specials backslash-escaped, on one line (`cell` does pipes). */
function inline(value: string): string {
  return value.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>&]/g, '\\$&');
}

/** A code span that holds any backticks the value has. */
function code(value: string): string {
  const flat = value.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || longest > 0 ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function capital(value: string): string {
  return value[0]!.toUpperCase() + value.slice(1);
}
