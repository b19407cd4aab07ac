import { STAGE_NAME_PATTERN } from '@arc-failover/shared';
import { DEFAULT_TIMEOUTS } from '../dataplane/timeouts';
import { UsageError } from './errors';

export const USAGE = `Usage: npm run switch -- <command> [flags]

Commands:
  status                               every API, its two routing controls, where its traffic goes
  <api...> --to <region|primary|secondary>
                                       switch these APIs: target Region On, the other Off
  --all --to <region|primary|secondary>
                                       switch the entry API and every service
                                       (--all --to primary: put everything on its primary, e.g. after a first deploy)
  sync                                 peacetime: write the stage's bookmark from the deployed ARC stack
  approve <api...|--all>               approver (approval gate): turn these APIs' approval controls On, so
                                       their routing controls may change; reads them back
  revoke <api...|--all>                approver: turn them Off again (the APIs can no longer be switched)

Flags:
  --stage <stage>                      stage (default local); picks the default bookmark and audit log
  --bookmark <file>                    bookmark file (default arc/bookmarks/<stage>.json, or $ARC_BOOKMARK)
  --json                               machine-readable output on stdout
  --yes                                switch without asking (automation)
  --dry-run                            show the plan, change nothing
  --override-safety-rule <name|arn>    break glass: let the cluster bypass this safety rule (repeatable)
  --connect-timeout-ms <ms>            per endpoint attempt: TCP connect timeout (default ${DEFAULT_TIMEOUTS.connectTimeoutMs})
  --timeout-ms <ms>                    per read attempt on one endpoint: total timeout (default ${DEFAULT_TIMEOUTS.timeoutMs})
  --write-timeout-ms <ms>              per write attempt on one endpoint: total timeout (default ${DEFAULT_TIMEOUTS.writeTimeoutMs})
  --audit-log <file>                   JSON-lines audit log (default arc/audit/<stage>.jsonl)
  --help                               this text

Ctrl-C (or SIGTERM, or SIGHUP from a closed terminal) once a switch has sent its first update: nothing
more is sent, the update in flight ends, the states are read back and shown, the audit log records it
(outcome "interrupted"); Ctrl-C again quits at once. The audit log gets a switch's intent before its first
update and its outcome after, so even a killed switch leaves a trace.

approve and revoke use the approver's credentials: the sandbox bookmark's approver keys when present,
else the AWS profile named by $ARC_APPROVER_PROFILE, else the default chain (AWS_PROFILE, ...). Without an
approval gate in the bookmark they say so and exit 1.

Exit status: 0 done (or nothing to do), 1 failed with no change of routing state (see the one-line reason),
2 bad command line, 3 failed and routing may have changed or did partly change (run status),
130 interrupted by Ctrl-C (143 by SIGTERM, 129 by SIGHUP) after the first update was sent.`;

/** Words that are no command; main tells APIs named without --to apart from typos of a command. */
export class UnknownCommand extends UsageError {
  override name = 'UnknownCommand';
  constructor(
    readonly positionals: string[],
    readonly options: CommonOptions,
  ) {
    super(
      `unknown command "${positionals[0]}": give status, sync, or <api...> --to <region|primary|secondary> (see npm run switch -- --help)`,
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

export type Command =
  | { kind: 'help' }
  | { kind: 'status'; options: CommonOptions }
  | { kind: 'sync'; options: CommonOptions }
  | { kind: 'approve' | 'revoke'; options: CommonOptions; apis: string[] | 'all' }
  | {
      kind: 'switch';
      options: CommonOptions;
      apis: string[] | 'all';
      to: string;
      yes: boolean;
      dryRun: boolean;
      overrides: string[];
    };

const VALUE_FLAGS = [
  '--stage',
  '--bookmark',
  '--to',
  '--connect-timeout-ms',
  '--timeout-ms',
  '--write-timeout-ms',
  '--override-safety-rule',
  '--audit-log',
] as const;
const SWITCHES = ['--json', '--yes', '--dry-run', '--all', '--help'] as const;
type Flag = (typeof VALUE_FLAGS)[number] | (typeof SWITCHES)[number];

const GATE_FLAGS: Flag[] = [
  '--stage',
  '--bookmark',
  '--json',
  '--all',
  '--connect-timeout-ms',
  '--timeout-ms',
  '--write-timeout-ms',
  '--audit-log',
];
const APPLIES_TO: Record<'status' | 'sync' | 'approve' | 'revoke', Flag[]> = {
  status: ['--stage', '--bookmark', '--json', '--connect-timeout-ms', '--timeout-ms'],
  sync: ['--stage', '--bookmark', '--json', '--audit-log'],
  approve: GATE_FLAGS,
  revoke: GATE_FLAGS,
};

/** Parses the command line; any mistake is a UsageError naming it. */
export function parseArgs(argv: string[]): Command {
  const { positionals, values } = tokenize(argv);
  const one = (flag: Flag) => values.get(flag)?.[0];
  const has = (flag: Flag) => values.has(flag);
  if (has('--help')) return { kind: 'help' };

  const stage = one('--stage') ?? 'local';
  if (!STAGE_NAME_PATTERN.test(stage)) {
    throw new UsageError(`--stage ${stage}: not a stage name (lower-case letters, digits and dashes)`);
  }
  const options: CommonOptions = {
    stage,
    stageGiven: has('--stage'),
    bookmark: one('--bookmark'),
    json: has('--json'),
    connectTimeoutMs: milliseconds('--connect-timeout-ms', one('--connect-timeout-ms')),
    timeoutMs: milliseconds('--timeout-ms', one('--timeout-ms')),
    writeTimeoutMs: milliseconds('--write-timeout-ms', one('--write-timeout-ms')),
    auditLog: one('--audit-log'),
  };

  const [first, ...rest] = positionals;
  if (first === 'status' || first === 'sync') {
    if (rest.length > 0) {
      throw new UsageError(`unexpected argument "${rest[0]}" (see npm run switch -- ${first} --help)`);
    }
    const stray = [...values.keys()].find((flag) => !APPLIES_TO[first].includes(flag));
    if (stray) throw new UsageError(`${stray} does not apply to ${first} (see npm run switch -- --help)`);
    return { kind: first, options };
  }
  if (first === 'approve' || first === 'revoke') {
    const stray = [...values.keys()].find((flag) => !APPLIES_TO[first].includes(flag));
    if (stray) throw new UsageError(`${stray} does not apply to ${first} (see npm run switch -- --help)`);
    if (has('--all') === rest.length > 0) {
      throw new UsageError(
        `${first} takes API names or --all, one of the two (see npm run switch -- --help)`,
      );
    }
    return { kind: first, options, apis: has('--all') ? 'all' : rest };
  }

  const to = one('--to');
  if (!to) {
    if (first === undefined && !has('--all'))
      throw new UsageError('no command given (see npm run switch -- --help)');
    if (first !== undefined && !has('--all')) throw new UnknownCommand(positionals, options);
    throw new UsageError('a switch needs --to <region|primary|secondary> (see npm run switch -- --help)');
  }
  if (has('--all') && positionals.length > 0) {
    throw new UsageError(`give API names or --all, not both (got --all and "${positionals.join(' ')}")`);
  }
  if (!has('--all') && positionals.length === 0) {
    throw new UsageError('name the APIs to switch, or --all (see npm run switch -- --help)');
  }
  return {
    kind: 'switch',
    options,
    apis: has('--all') ? 'all' : positionals,
    to,
    yes: has('--yes'),
    dryRun: has('--dry-run'),
    overrides: values.get('--override-safety-rule') ?? [],
  };
}

function tokenize(argv: string[]): { positionals: string[]; values: Map<Flag, string[]> } {
  const positionals: string[] = [];
  const values = new Map<Flag, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') {
      values.set('--help', []);
      continue;
    }
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if ((SWITCHES as readonly string[]).includes(name!)) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value (got "${arg}")`);
      values.set(name as Flag, []);
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name!)) {
      throw new UsageError(`unknown flag ${name} (see npm run switch -- --help)`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`${name} needs a value (see npm run switch -- --help)`);
    }
    const flag = name as Flag;
    const previous = values.get(flag);
    if (previous && flag !== '--override-safety-rule') throw new UsageError(`${flag} given twice`);
    values.set(flag, [...(previous ?? []), value]);
  }
  return { positionals, values };
}

function milliseconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 1 || ms > 600_000) {
    throw new UsageError(`${flag} ${value}: give a whole number of milliseconds from 1 to 600000`);
  }
  return ms;
}
