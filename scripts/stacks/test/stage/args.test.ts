import { UsageError } from '@arc-failover/shared/command';
import { parseStageArgs } from '../../src/stage/args';

const usage = (argv: string[]) => {
  try {
    parseStageArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('npm run stage -- add', () => {
  it('takes the stage, the domain and the optional zone id, cluster ARN and --force', () => {
    expect(parseStageArgs(['add', 'dev', '--domain', 'Acme.Dev.'])).toEqual({
      stage: 'dev',
      domain: 'acme.dev',
      force: false,
    });
    const cluster = 'arn:aws:route53-recovery-control::123456789012:cluster/abc-123';
    expect(
      parseStageArgs([
        'add',
        'dev',
        '--domain=acme.dev',
        '--zone-id',
        '/hostedzone/Z0123ABC',
        '--cluster-arn',
        cluster,
        '--force',
      ]),
    ).toEqual({ stage: 'dev', domain: 'acme.dev', zoneId: 'Z0123ABC', clusterArn: cluster, force: true });
    expect(parseStageArgs(['add', '--help'])).toEqual({ help: expect.stringMatching(/--domain <domain>/) });
  });

  it.each([
    [[], /^name a command: add \(see npm run stage -- --help\)$/],
    [['remove', 'dev'], /^unknown command "remove" \(known: add\)/],
    [['add', '--domain', 'acme.dev'], /^missing <stage> \(see npm run stage -- add --help\)$/],
    [['add', 'dev', 'extra', '--domain', 'acme.dev'], /^unexpected argument "extra"/],
    [['add', 'Dev', '--domain', 'acme.dev'], /^"Dev" is not a valid stage name: lower-case letters/],
    [['add', 'dev'], /^--domain is required/],
    [['add', 'dev', '--domain', 'acme'], /^--domain acme: expected a DNS name such as example.com$/],
    [['add', 'dev', '--domain', 'https://acme.dev'], /^--domain https:\/\/acme.dev: expected a DNS name/],
    [['add', 'dev', '--domain', 'acme.dev', '--zone-id', 'abc'], /^--zone-id abc: expected a Route 53/],
    [
      ['add', 'dev', '--domain', 'acme.dev', '--cluster-arn', 'arn:x'],
      /^--cluster-arn arn:x: expected an ARC/,
    ],
    [
      ['add', 'dev', '--domain', 'acme.dev', '--zone'],
      /^unknown flag --zone \(see npm run stage -- add --help\)$/,
    ],
  ])('refuses %j in one line', (argv, message) => {
    expect(usage(argv)).toMatch(message);
  });
});
