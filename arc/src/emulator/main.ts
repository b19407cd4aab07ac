import { parseArgs } from 'node:util';
import {
  ARC_CLUSTER_ENDPOINT_REGIONS,
  loadTopology,
  port,
  UsageError,
  wholeNumber,
} from '@arc-failover/shared';
import { ListenError } from '@arc-failover/shared/net';
import { defaultBookmarkPath, writeBookmark } from '../bookmark';
import { ClusterEmulator } from './index';

/**
 * Runs the ARC cluster emulation on its own, e.g. to try the AWS CLI or the switch CLI against it:
 *   tsx arc/src/emulator/main.ts --stage local [--ports a,b,c,d,e] [--host 127.0.0.1]
 *                                [--wait-period-ms N] [--bookmark <file>]
 * Writes the stage's bookmark and stops on Ctrl-C.
 */

const USAGE =
  'usage: tsx arc/src/emulator/main.ts [--stage local] [--ports a,b,c,d,e] [--host 127.0.0.1] [--wait-period-ms N] [--bookmark <file>]';

function parse(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stage: { type: 'string', default: 'local' },
        ports: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'wait-period-ms': { type: 'string' },
        bookmark: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (${USAGE})`);
  }
  const count = ARC_CLUSTER_ENDPOINT_REGIONS.length;
  const ports = values.ports?.split(',').map((text) => port(text.trim(), '--ports'));
  if (ports && ports.length !== count) {
    throw new UsageError(
      `--ports: give ${count} comma-separated ports, for ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')} in that order (0 = any free port)`,
    );
  }
  return {
    help: values.help ?? false,
    stage: values.stage,
    host: values.host,
    ports,
    waitPeriodMs:
      values['wait-period-ms'] === undefined
        ? undefined
        : wholeNumber(values['wait-period-ms'], '--wait-period-ms', 0, 3_600_000),
    bookmark: values.bookmark ?? (process.env.ARC_BOOKMARK || defaultBookmarkPath(values.stage)),
  };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const topology = loadTopology(args.stage);
  const emulator = await ClusterEmulator.start({
    topology,
    host: args.host,
    ports: args.ports,
    waitPeriodMs: args.waitPeriodMs,
  });
  const bookmark = emulator.bookmark();
  writeBookmark(args.bookmark, bookmark);

  const { accessKeyId, secretAccessKey } = bookmark.sandbox!.credentials;
  const first = emulator.endpoints[0]!;
  console.log(`ARC cluster emulator for stage ${args.stage}: ${emulator.clusterArn}`);
  for (const { region, url } of emulator.endpoints) console.log(`  ${region.padEnd(15)} ${url}`);
  console.log(`bookmark: ${args.bookmark}`);
  console.log(`credentials: AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey}`);
  console.log(
    `try: AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} aws route53-recovery-cluster list-routing-controls --endpoint-url ${first.url} --region ${first.region}`,
  );
  console.log('Ctrl-C to stop');

  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`arc emulator: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  const message =
    error instanceof ListenError
      ? new ListenError({ ...error.target, flag: '--ports' }, error.code).message
      : error.message;
  console.error(`arc emulator: ${message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
