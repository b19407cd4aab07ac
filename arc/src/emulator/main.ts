import { ARC_CLUSTER_ENDPOINT_REGIONS, loadTopology } from '@arc-failover/shared';
import {
  defineCommand,
  portList,
  runCommand,
  UsageError,
  wholeNumber,
  type FlagValues,
} from '@arc-failover/shared/command';
import { defaultBookmarkPath, writeBookmark } from '../bookmark';
import { ClusterEmulator } from './index';

const emulatorCommand = defineCommand({
  invocation: 'npx tsx arc/src/emulator/main.ts',
  summary: `Runs the ARC cluster emulation on its own, e.g. to try the AWS CLI or the switch CLI against it: five
endpoints sharing one state. Writes the stage's bookmark and stops on Ctrl-C.`,
  flags: {
    stage: { type: 'string', value: '<stage>', description: 'topology stage', default: 'local' },
    ports: {
      type: 'string',
      value: '<a,b,c,d,e>',
      description: `the five endpoints' ports, for ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')} in that order (0 = any free port)`,
      parse: fivePorts,
      shownDefault: 'free ports',
    },
    host: { type: 'string', value: '<address>', description: 'address to listen on', default: '127.0.0.1' },
    'wait-period-ms': {
      type: 'string',
      value: '<ms>',
      description: "the safety rules' wait period",
      parse: wholeNumber(0, 3_600_000),
      shownDefault: 'as in ARC',
    },
    bookmark: {
      type: 'string',
      value: '<file>',
      description: 'where to write the bookmark (default arc/bookmarks/<stage>.json, or $ARC_BOOKMARK)',
    },
  },
});

function fivePorts(text: string, flag: string): number[] {
  const ports = portList(text, flag);
  const count = ARC_CLUSTER_ENDPOINT_REGIONS.length;
  if (ports.length !== count) {
    throw new UsageError(
      `${flag}: give ${count} comma-separated ports, for ${ARC_CLUSTER_ENDPOINT_REGIONS.join(', ')} in that order (0 = any free port)`,
    );
  }
  return ports;
}

async function emulate(flags: FlagValues<(typeof emulatorCommand)['flags']>): Promise<void> {
  const bookmarkFile = flags.bookmark ?? (process.env.ARC_BOOKMARK || defaultBookmarkPath(flags.stage));
  const topology = loadTopology(flags.stage);
  const emulator = await ClusterEmulator.start({
    portsFlag: '--ports',
    topology,
    host: flags.host,
    ports: flags.ports,
    waitPeriodMs: flags['wait-period-ms'],
  });
  const bookmark = emulator.bookmark();
  writeBookmark(bookmarkFile, bookmark);

  const { accessKeyId, secretAccessKey } = bookmark.sandbox!.credentials;
  const first = emulator.endpoints[0]!;
  console.log(`ARC cluster emulator for stage ${flags.stage}: ${emulator.clusterArn}`);
  for (const { region, url } of emulator.endpoints) console.log(`  ${region.padEnd(15)} ${url}`);
  console.log(`bookmark: ${bookmarkFile}`);
  console.log(`credentials: AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey}`);
  console.log(
    `try: AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} aws route53-recovery-cluster list-routing-controls --endpoint-url ${first.url} --region ${first.region}`,
  );
  console.log('Ctrl-C to stop');

  // Ctrl-C is how this command ends when done: it stops the endpoints and exits 0. Listening for good
  // (not once) ignores the copy of the same Ctrl-C that tsx or npm passes on.
  await new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  await emulator.close();
}

runCommand(emulatorCommand, ({ flags }) => emulate(flags));
