import {
  defineCommand,
  formatHelp,
  parseCommandLine,
  subcommand,
  UsageError,
  wholeNumber,
} from '../../src/command';

const probe = defineCommand({
  invocation: 'npm run probe --',
  summary: 'Probes.',
  flags: {
    interval: { type: 'string', value: '<s>', description: 'seconds between rounds' },
    count: { type: 'string', short: 'n', value: '<n>', description: 'rounds', parse: wholeNumber(1, 100) },
    until: { type: 'string', value: '<api>=<region>', multiple: true, description: 'stop once seen' },
    quiet: { type: 'boolean', description: 'say less' },
  },
  positionals: [{ name: 'target', optional: true }],
});

const parse = (...argv: string[]) => {
  const line = parseCommandLine(probe, argv);
  if (line.kind !== 'run') throw new Error('asked for help');
  return line.command;
};

describe('parseCommandLine', () => {
  it.each([
    [['--interval', '-1'], '-1'],
    [['--interval', '-0.5'], '-0.5'],
    [['--interval', '-.5'], '-.5'],
    [['--interval=-1'], '-1'],
  ])('takes a negative number after a flag with a value as its value: %j', (argv, interval) => {
    expect(parse(...argv).flags.interval).toBe(interval);
  });

  it('so the flag’s own check names what it accepts', () => {
    expect(() => parse('-n', '-3', '--quiet')).toThrow(
      new UsageError('--count -3: expected a whole number from 1 to 100'),
    );
  });

  it('gives booleans, lists for repeatable flags and undefined for absent ones', () => {
    expect(parse('--until', 'a=b', '--until=c=d', '-n', '3', 'x')).toEqual({
      flags: { interval: undefined, count: 3, until: ['a=b', 'c=d'], quiet: false },
      positionals: ['x'],
      given: new Set(['until', 'count']),
      invocation: 'npm run probe --',
    });
  });

  it('takes the last of a flag given twice', () => {
    expect(parse('-n', '2', '--count', '3').flags.count).toBe(3);
  });

  it('refuses a flag declared once given twice, rather than replace a value unseen', () => {
    const declaration = defineCommand({
      invocation: 'npm run switch --',
      summary: 'switch',
      flags: { to: { type: 'string', value: '<region>', description: 'target', once: true } },
    });
    expect(() => parseCommandLine(declaration, ['--to', 'a', '--to=b'])).toThrow(
      new UsageError('--to given twice (see npm run switch -- --help)'),
    );
  });

  it('leaves everything after -- alone', () => {
    expect(parse('--quiet', '--', '--interval')).toMatchObject({
      flags: { quiet: true, interval: undefined },
      positionals: ['--interval'],
    });
  });

  it.each([
    [['--bogus'], 'unknown flag --bogus'],
    [['-x'], 'unknown flag -x'],
    [['--quiet', '-1'], 'unknown flag -1'],
    [['--interval', '-x'], '--interval needs a value'],
    [['--interval'], '--interval needs a value'],
    [['--interval='], '--interval needs a value'],
    [['--quiet=yes'], '--quiet takes no value (got "--quiet=yes")'],
    [['a', 'b'], 'unexpected argument "b"'],
  ])('refuses %j in one line that points at the command’s --help', (argv, what) => {
    expect(() => parse(...argv)).toThrow(new UsageError(`${what} (see npm run probe -- --help)`));
  });

  it('answers --help anywhere before --, even beside a mistake', () => {
    expect(parseCommandLine(probe, ['--bogus', '-h'])).toEqual({ kind: 'help', text: formatHelp(probe) });
  });
});

describe('subcommands', () => {
  const stack = defineCommand({
    invocation: 'stack',
    summary: 'Stacks.',
    flags: {},
    subcommands: [
      subcommand(
        'deploy',
        { summary: 'deploy it', flags: { stage: { type: 'string', value: '<s>', description: 'stage' } } },
        () => {},
      ),
      subcommand('check', { summary: 'check it', flags: {}, positionals: [{ name: 'what' }] }, () => {}),
    ],
  });
  const mistake = (argv: string[]) => () => parseCommandLine(stack, argv, { subcommandRequired: true });

  it('names the subcommand in its mistakes and its help', () => {
    expect(mistake(['deploy', '--bogus'])).toThrow(
      new UsageError('unknown flag --bogus (see stack deploy --help)'),
    );
    expect(mistake(['check', '--stage', 'x', 'y'])).toThrow(
      new UsageError('--stage does not apply to check (see stack check --help)'),
    );
    expect(mistake(['check'])).toThrow(new UsageError('missing <what> (see stack check --help)'));
    expect(mistake([])).toThrow(new UsageError('name a command: deploy, check (see stack --help)'));
    expect(mistake(['bogus'])).toThrow(
      new UsageError('unknown command "bogus" (known: deploy, check) (see stack --help)'),
    );
  });

  it('generates the help from the declarations', () => {
    expect(formatHelp(stack)).toBe(
      'Usage: stack <command> [flags]\n\nStacks.\n\nCommands:\n  deploy  deploy it\n  check   check it\n\nFlags:\n  --help  this text',
    );
    const deploy = stack.subcommands![0]!;
    expect(formatHelp(stack, deploy)).toBe(
      'Usage: stack deploy [flags]\n\ndeploy it\n\nFlags:\n  --stage <s>  stage\n  --help       this text',
    );
  });
});
