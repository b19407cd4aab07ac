import { STAGE_NAME_PATTERN } from '@arc-failover/shared';
import {
  defineCommand,
  parseCommandLine,
  seconds,
  subcommand,
  UsageError,
  type FlagDeclarations,
  type FlagValues,
  type ParsedCommand,
} from '@arc-failover/shared/command';
import { DEFAULT_TIMEOUTS } from '../dataplane/timeouts';

const INVOCATION = 'npm run switch --';
const SEE_HELP = `(see ${INVOCATION} --help)`;

function milliseconds(text: string, flag: string): number {
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 1 || ms > 600_000) {
    throw new UsageError(`${flag} ${text}: give a whole number of milliseconds from 1 to 600000`);
  }
  return ms;
}

function stageName(text: string, flag: string): string {
  if (!STAGE_NAME_PATTERN.test(text)) {
    throw new UsageError(`${flag} ${text}: not a stage name (lower-case letters, digits and dashes)`);
  }
  return text;
}

/** How long --wait waits for DNS and HTTP to show the new Region unless --wait-timeout says otherwise. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 120;

// Every flag is declared once, here; each command takes the ones it names.
const FLAGS = {
  stage: {
    type: 'string',
    value: '<stage>',
    description: 'stage; picks the default bookmark and audit log',
    parse: stageName,
    default: 'local',
  },
  bookmark: {
    type: 'string',
    value: '<file>',
    description: 'bookmark file (default arc/bookmarks/<stage>.json, or $ARC_BOOKMARK)',
  },
  json: { type: 'boolean', description: 'machine-readable output on stdout' },
  to: {
    type: 'string',
    value: '<region|primary|secondary>',
    description: 'where the APIs go: their target Region On, the other Off',
    once: true,
  },
  all: { type: 'boolean', description: 'the entry API and every service' },
  yes: { type: 'boolean', description: 'go ahead without asking (automation)' },
  'dry-run': {
    type: 'boolean',
    description: 'show the plan and the readiness answers, change nothing',
  },
  'override-safety-rule': {
    type: 'string',
    value: '<name|arn>',
    multiple: true,
    description: 'break glass: let the cluster bypass this safety rule (repeatable)',
  },
  'skip-readiness': {
    type: 'boolean',
    description:
      'break glass: switch without checking that the target Region answers first (recorded in the audit log)',
  },
  wait: {
    type: 'boolean',
    description:
      "after the update, wait until the zone's name servers and the public URL show the target Region; write a report",
  },
  'wait-timeout': {
    type: 'string',
    value: '<s>',
    description: 'how long --wait, and each switch step of a runbook, waits for DNS and HTTP before exit 4',
    parse: seconds(3600, { atLeast: 1 }),
    default: DEFAULT_WAIT_TIMEOUT_SECONDS,
  },
  probe: {
    type: 'boolean',
    description: "also ask the zone's name servers and each public URL where traffic really goes",
  },
  runbook: {
    type: 'string',
    value: '<name>',
    description: 'every API the runbook switches (npm run switch -- runbook list)',
  },
  resume: {
    type: 'string',
    value: '<report.json>',
    description: 'continue the run that report records, from its first step not proven',
  },
  'connect-timeout-ms': {
    type: 'string',
    value: '<ms>',
    description: 'per endpoint attempt: TCP connect timeout',
    parse: milliseconds,
    shownDefault: String(DEFAULT_TIMEOUTS.connectTimeoutMs),
  },
  'timeout-ms': {
    type: 'string',
    value: '<ms>',
    description: 'per read attempt on one endpoint: total timeout',
    parse: milliseconds,
    shownDefault: String(DEFAULT_TIMEOUTS.timeoutMs),
  },
  'write-timeout-ms': {
    type: 'string',
    value: '<ms>',
    description: 'per write attempt on one endpoint: total timeout',
    parse: milliseconds,
    shownDefault: String(DEFAULT_TIMEOUTS.writeTimeoutMs),
  },
  'audit-log': {
    type: 'string',
    value: '<file>',
    description: 'JSON-lines audit log (default arc/audit/<stage>.jsonl)',
  },
} as const satisfies FlagDeclarations;

type Flags = typeof FLAGS;
type FlagName = keyof Flags;

function pick<const K extends FlagName>(...names: K[]): Pick<Flags, K> {
  return Object.fromEntries(names.map((name) => [name, FLAGS[name]])) as Pick<Flags, K>;
}

/** Where a command finds the cluster and how it talks to it and records what it did. */
const CLUSTER_FLAGS = pick(
  'stage',
  'bookmark',
  'json',
  'connect-timeout-ms',
  'timeout-ms',
  'write-timeout-ms',
  'audit-log',
);
/** How a change goes ahead: asked or not, planned only, readiness, proof, break glass. */
const CHANGE_FLAGS = pick('yes', 'dry-run', 'skip-readiness', 'wait-timeout', 'override-safety-rule');

const SWITCH_FLAGS = { ...pick('to', 'all', 'wait'), ...CHANGE_FLAGS, ...CLUSTER_FLAGS };
const GATE_FLAGS = { ...pick('all', 'runbook'), ...CLUSTER_FLAGS };

const EXIT_STATUSES = `Exit status: 0 done (or nothing to do), 1 failed with no change of routing state (see the one-line reason),
2 bad command line, 3 failed and routing may have changed or did partly change (run status), 4 switched
and read back but not seen in DNS and HTTP within --wait-timeout, 130 interrupted by Ctrl-C (143 by
SIGTERM, 129 by SIGHUP) after the first update was sent.`;

/** The switch CLI, declared once: its parsing and its --help come from this. */
export const SWITCH_CLI = defineCommand({
  invocation: INVOCATION,
  usage: [
    `${INVOCATION} <command> [flags]`,
    `${INVOCATION} <api...> --to <region|primary|secondary> [flags]`,
    `${INVOCATION} --all --to <region|primary|secondary> [flags]`,
  ],
  summary: `Switch APIs between their two Regions on the ARC cluster's data plane, or see where they are.
<api...> --to: the target Region's routing control On, the other Off, for each API named (--all: the entry
API and every service; --all --to primary puts everything on its primary, e.g. after a first deploy).
Before any update every API that moves must answer 2xx in its target Region (readiness); --wait then
proves the move in DNS and HTTP and writes a report under arc/reports/<stage>/.`,
  flags: SWITCH_FLAGS,
  positionals: [{ name: 'api', optional: true, variadic: true }],
  subcommands: [
    subcommand('status', {
      summary: 'every API, its two routing controls, where its traffic goes',
      flags: pick('probe', 'stage', 'bookmark', 'json', 'connect-timeout-ms', 'timeout-ms'),
    }),
    subcommand('sync', {
      summary: "peacetime: write the stage's bookmark from the deployed stacks and the hosted zone",
      flags: pick('stage', 'bookmark', 'json', 'audit-log'),
    }),
    subcommand('approve', {
      summary:
        "approver (approval gate): turn these APIs' approval controls On, so their routing controls may change; reads them back",
      usage: [`${INVOCATION} approve <api...|--all|--runbook <name>> [flags]`],
      flags: GATE_FLAGS,
      positionals: [{ name: 'api', optional: true, variadic: true }],
    }),
    subcommand('revoke', {
      summary: 'approver: turn them Off again (the APIs can no longer be switched)',
      usage: [`${INVOCATION} revoke <api...|--all|--runbook <name>> [flags]`],
      flags: GATE_FLAGS,
      positionals: [{ name: 'api', optional: true, variadic: true }],
    }),
    subcommand('runbook', {
      summary:
        'run a runbook of the topology: its steps in order, evaluated first, each switch proven; "runbook list" lists them',
      usage: [`${INVOCATION} runbook list [flags]`, `${INVOCATION} runbook <name> [flags]`],
      flags: { ...pick('resume'), ...CHANGE_FLAGS, ...CLUSTER_FLAGS },
      positionals: [{ name: 'name' }],
    }),
  ],
  notes: `Ctrl-C (or SIGTERM, or SIGHUP from a closed terminal) once a switch has sent its first update: nothing
more is sent, the update in flight ends, the states are read back and shown, the audit log records it
(outcome "interrupted"); Ctrl-C again quits at once. The audit log gets a switch's intent before its first
update and its outcome after, so even a killed switch leaves a trace.

approve and revoke use the approver's credentials: the sandbox bookmark's approver keys when present,
else the AWS profile named by $ARC_APPROVER_PROFILE, else the default chain (AWS_PROFILE, ...). Without an
approval gate in the bookmark they say so and exit 1.

${EXIT_STATUSES}`,
});

/** Words that are no command; main tells APIs named without --to apart from typos of a command. */
export class UnknownCommand extends UsageError {
  override name = 'UnknownCommand';
  constructor(
    readonly positionals: string[],
    readonly options: CommonOptions,
  ) {
    super(
      `unknown command "${positionals[0]}": give status, sync, runbook, or <api...> --to <region|primary|secondary> ${SEE_HELP}`,
    );
  }
}

export interface CommonOptions {
  stage: string;
  /** --stage was given: the bookmark must then be for that stage. */
  stageGiven: boolean;
  bookmark?: string;
  json: boolean;
  connectTimeoutMs?: number;
  timeoutMs?: number;
  writeTimeoutMs?: number;
  auditLog?: string;
}

/** How a change may go ahead: readiness first unless skipped, and how long --wait and runbooks wait. */
export interface ChangeOptions {
  yes: boolean;
  dryRun: boolean;
  overrides: string[];
  skipReadiness: boolean;
  waitTimeoutMs: number;
}

export type Command =
  | { kind: 'help'; text: string }
  | { kind: 'status'; options: CommonOptions; probe: boolean }
  | { kind: 'sync'; options: CommonOptions }
  | {
      kind: 'approve' | 'revoke';
      options: CommonOptions;
      apis: string[] | 'all' | { runbook: string };
    }
  | { kind: 'runbook-list'; options: CommonOptions }
  | ({ kind: 'runbook'; options: CommonOptions; name: string; resume?: string } & ChangeOptions)
  | ({
      kind: 'switch';
      options: CommonOptions;
      apis: string[] | 'all';
      to: string;
      wait: boolean;
    } & ChangeOptions);

type AnyFlags = Partial<FlagValues<Flags>>;

/** Parses the command line; any mistake is a UsageError naming it. */
export function parseArgs(argv: string[]): Command {
  const line = parseCommandLine(SWITCH_CLI, argv);
  if (line.kind === 'help') return { kind: 'help', text: line.text };
  const { command } = line;
  const flags = command.flags as AnyFlags;
  const options = commonOptions(command, flags);
  const name = line.subcommand?.name;
  if (name === 'status') return { kind: 'status', options, probe: Boolean(flags.probe) };
  if (name === 'sync') return { kind: 'sync', options };
  if (name === 'approve' || name === 'revoke') {
    const given = [command.positionals.length > 0, Boolean(flags.all), flags.runbook !== undefined];
    if (given.filter(Boolean).length !== 1) {
      throw new UsageError(`${name} takes API names, --all or --runbook <name>, one of them ${SEE_HELP}`);
    }
    const apis = flags.all
      ? 'all'
      : flags.runbook !== undefined
        ? { runbook: flags.runbook }
        : command.positionals;
    return { kind: name, options, apis };
  }
  if (name === 'runbook') {
    const runbook = command.positionals[0]!;
    if (runbook === 'list') {
      const stray = Object.keys(command.flags).find(
        (flag) => !['stage', 'bookmark', 'json'].includes(flag) && command.given.has(flag),
      );
      if (stray) throw new UsageError(`--${stray} does not apply to runbook list ${SEE_HELP}`);
      return { kind: 'runbook-list', options };
    }
    return { kind: 'runbook', options, name: runbook, resume: flags.resume, ...changeOptions(flags) };
  }

  const positionals = command.positionals;
  const to = flags.to;
  if (to === undefined) {
    if (positionals.length === 0 && !flags.all) throw new UsageError(`no command given ${SEE_HELP}`);
    if (positionals.length > 0 && !flags.all) throw new UnknownCommand(positionals, options);
    throw new UsageError(`a switch needs --to <region|primary|secondary> ${SEE_HELP}`);
  }
  if (flags.all && positionals.length > 0) {
    throw new UsageError(
      `give API names or --all, not both (got --all and "${positionals.join(' ')}") ${SEE_HELP}`,
    );
  }
  if (!flags.all && positionals.length === 0) {
    throw new UsageError(`name the APIs to switch, or --all ${SEE_HELP}`);
  }
  if (!flags.wait && command.given.has('wait-timeout')) {
    throw new UsageError(`--wait-timeout applies only with --wait ${SEE_HELP}`);
  }
  return {
    kind: 'switch',
    options,
    apis: flags.all ? 'all' : positionals,
    to,
    wait: Boolean(flags.wait),
    ...changeOptions(flags),
  };
}

/** The flags a command line gave, as the commands' shared options. */
function commonOptions(command: ParsedCommand<FlagDeclarations>, flags: AnyFlags): CommonOptions {
  return {
    stage: flags.stage ?? 'local',
    stageGiven: command.given.has('stage'),
    bookmark: flags.bookmark,
    json: Boolean(flags.json),
    connectTimeoutMs: flags['connect-timeout-ms'],
    timeoutMs: flags['timeout-ms'],
    writeTimeoutMs: flags['write-timeout-ms'],
    auditLog: flags['audit-log'],
  };
}

function changeOptions(flags: AnyFlags): ChangeOptions {
  return {
    yes: Boolean(flags.yes),
    dryRun: Boolean(flags['dry-run']),
    overrides: flags['override-safety-rule'] ?? [],
    skipReadiness: Boolean(flags['skip-readiness']),
    waitTimeoutMs: (flags['wait-timeout'] ?? DEFAULT_WAIT_TIMEOUT_SECONDS) * 1000,
  };
}
