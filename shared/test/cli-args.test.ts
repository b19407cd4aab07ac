import { parseFlags, UsageError, wholeNumber } from '../src/cli-args';

const OPTIONS = {
  interval: { type: 'string' },
  count: { type: 'string', short: 'n' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const parse = (...argv: string[]) => parseFlags(argv, OPTIONS, true);

describe('parseFlags', () => {
  it.each([
    [['--interval', '-1'], { interval: '-1' }],
    [['--interval', '-0.5'], { interval: '-0.5' }],
    [['--interval', '-.5'], { interval: '-.5' }],
    [['--interval=-1'], { interval: '-1' }],
    [['-n', '-3', '--quiet'], { count: '-3', quiet: true }],
  ])('takes a negative number after a flag with a value as its value: %j', (argv, values) => {
    expect(parse(...argv)).toEqual({ values, positionals: [] });
  });

  it('so the flag’s own check names what it accepts', () => {
    const { values } = parse('--count', '-3');
    expect(() => wholeNumber(values.count!, '--count', 1, 100)).toThrow(
      new UsageError('--count -3: expected a whole number from 1 to 100'),
    );
  });

  it('leaves everything after -- alone', () => {
    expect(parse('--quiet', '--', '--interval', '-1')).toEqual({
      values: { quiet: true },
      positionals: ['--interval', '-1'],
    });
  });

  it.each([
    ['a negative number after a flag without a value', ['--quiet', '-1']],
    ['a dash word after a flag with a value', ['--interval', '-x']],
    ['a flag with its value missing', ['--interval']],
  ])('refuses %s in one line that points at --help', (_case, argv) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(/^[^\n]+ \(see --help\)$/);
  });
});
