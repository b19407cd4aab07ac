import { TOPOLOGY_PATTERNS } from '@arc-failover/shared';
import {
  defineCommand,
  parseCommandLine,
  subcommand,
  UsageError,
  type FlagValues,
  type Handler,
} from '@arc-failover/shared/command';

export interface StageAddOptions {
  stage: string;
  /** The apex domain, lower-case, without a trailing dot. */
  domain: string;
  zoneId?: string;
  clusterArn?: string;
  /** Replace a stage that already exists. */
  force: boolean;
}

const ADD_FLAGS = {
  domain: {
    type: 'string',
    value: '<domain>',
    description: 'the apex domain of the stage, e.g. example.com (required)',
  },
  'zone-id': {
    type: 'string',
    value: '<id>',
    description: 'its public hosted zone (default: looked up by the domain)',
  },
  'cluster-arn': {
    type: 'string',
    value: '<arn>',
    description: 'an existing ARC cluster to share (must be DEPLOYED); default: the ARC stack creates one',
  },
  force: { type: 'boolean', description: 'replace the stage if it exists, keeping its other keys' },
} as const;

/** `npm run stage -- add ...`, declared once: parsing and --help come from it. */
export const stageCommand = (add: Handler<typeof ADD_FLAGS>) =>
  defineCommand({
    invocation: 'npm run stage --',
    summary: `Writes a real stage into shared/topology.json, looked up read-only in the AWS account: the public
hosted zone of the domain and, in every Region an API runs in, the ISSUED ACM certificate covering the apex
and every API hostname.`,
    flags: {},
    subcommands: [
      subcommand(
        'add',
        {
          summary: 'add <stage>: a new stage (or, with --force, a replaced one)',
          positionals: [{ name: 'stage' }],
          flags: ADD_FLAGS,
        },
        add,
      ),
    ],
  });

/** `add <stage> --domain ... [--zone-id ...] [--cluster-arn ...] [--force]`, every value's shape checked. */
export function parseStageArgs(argv: string[]): StageAddOptions | { help: string } {
  const line = parseCommandLine(
    stageCommand(() => undefined),
    argv,
    { subcommandRequired: true },
  );
  if (line.kind === 'help') return { help: line.text };
  return stageAddOptions(line.command.positionals[0]!, line.command.flags as FlagValues<typeof ADD_FLAGS>);
}

/** The options of `add`, every value's shape checked. */
export function stageAddOptions(stage: string, values: FlagValues<typeof ADD_FLAGS>): StageAddOptions {
  if (!TOPOLOGY_PATTERNS.name.test(stage)) {
    throw new UsageError(
      `"${stage}" is not a valid stage name: lower-case letters, digits and dashes, 2 to 32 long, starting with a letter`,
    );
  }
  if (values.domain === undefined)
    throw new UsageError('--domain is required (see npm run stage -- add --help)');
  const domain = values.domain.toLowerCase().replace(/\.$/, '');
  if (!TOPOLOGY_PATTERNS.domain.test(domain)) {
    throw new UsageError(`--domain ${values.domain}: expected a DNS name such as example.com`);
  }
  const zoneId = values['zone-id']?.replace(/^\/hostedzone\//, '');
  if (zoneId !== undefined && !TOPOLOGY_PATTERNS.hostedZoneId.test(zoneId)) {
    throw new UsageError(`--zone-id ${zoneId}: expected a Route 53 hosted zone id such as Z0123456789ABC`);
  }
  const clusterArn = values['cluster-arn'];
  if (clusterArn !== undefined && !TOPOLOGY_PATTERNS.clusterArn.test(clusterArn)) {
    throw new UsageError(
      `--cluster-arn ${clusterArn}: expected an ARC cluster ARN (arn:aws:route53-recovery-control::<account>:cluster/<id>)`,
    );
  }
  return {
    stage,
    domain,
    ...(zoneId && { zoneId }),
    ...(clusterArn && { clusterArn }),
    force: values.force ?? false,
  };
}
