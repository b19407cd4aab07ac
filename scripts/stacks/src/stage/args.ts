import { parseFlags, TOPOLOGY_PATTERNS, UsageError } from '@arc-failover/shared';

export const USAGE =
  'usage: npm run stage -- add <stage> --domain <domain> [--zone-id <hosted zone id>] [--cluster-arn <ARC cluster ARN>] [--force]';

export interface StageAddOptions {
  stage: string;
  /** The apex domain, lower-case, without a trailing dot. */
  domain: string;
  zoneId?: string;
  clusterArn?: string;
  /** Replace a stage that already exists. */
  force: boolean;
}

/** `add <stage> --domain ... [--zone-id ...] [--cluster-arn ...] [--force]`, every value's shape checked. */
export function parseStageArgs(argv: string[]): StageAddOptions | 'help' {
  const { values, positionals } = parseFlags(
    argv,
    {
      domain: { type: 'string' },
      'zone-id': { type: 'string' },
      'cluster-arn': { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return 'help';
  const [command, stage, ...extra] = positionals;
  if (command !== 'add') throw new UsageError(`${command ? `unknown command "${command}"; ` : ''}${USAGE}`);
  if (!stage) throw new UsageError(`name the stage to add: ${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}: ${USAGE}`);
  if (!TOPOLOGY_PATTERNS.name.test(stage)) {
    throw new UsageError(
      `"${stage}" is not a valid stage name: lower-case letters, digits and dashes, 2 to 32 long, starting with a letter`,
    );
  }
  if (values.domain === undefined) throw new UsageError(`--domain is required: ${USAGE}`);
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
