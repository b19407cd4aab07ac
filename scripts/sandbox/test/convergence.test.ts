import { convergence } from '../src/commands/demo/convergence';

describe('how fast traffic reached the new Region', () => {
  const changedAt = 1000;

  it('measures to the first new answer and to the first after the last old one or failure', () => {
    const seen = [
      { at: 900, region: 'us-east-1' },
      { at: 1100, region: 'us-east-1' },
      { at: 1500, region: 'us-west-2' },
      { at: 1600, region: undefined },
      { at: 1700, region: 'us-east-1' },
      { at: 2100, region: 'us-west-2' },
      { at: 2200, region: 'us-west-2' },
    ];
    expect(convergence(seen, changedAt, 'us-west-2')).toEqual({ firstMs: 500, allMs: 1100 });
  });

  it('leaves both undefined when the new Region never answered', () => {
    expect(convergence([{ at: 1500, region: 'us-east-1' }], changedAt, 'us-west-2')).toEqual({
      firstMs: undefined,
      allMs: undefined,
    });
  });

  it('leaves "all" undefined while the old Region still has the last word', () => {
    const seen = [
      { at: 1200, region: 'us-west-2' },
      { at: 1300, region: 'us-east-1' },
    ];
    expect(convergence(seen, changedAt, 'us-west-2')).toEqual({ firstMs: 200, allMs: undefined });
  });
});
