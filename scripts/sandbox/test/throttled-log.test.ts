import { throttledLog } from '../src/commands/start/throttled-log';

describe('the sandbox log during an outage', () => {
  afterEach(() => jest.useRealTimers());

  it('prints a repeated line once per window, then how many it held back', () => {
    jest.useFakeTimers({ now: 0 });
    const printed: string[] = [];
    const log = throttledLog((line) => printed.push(line), 5000);
    for (let i = 0; i < 200; i++) log('service1 us-east-1: connect ECONNREFUSED');
    log('another line');
    jest.setSystemTime(5000);
    log('service1 us-east-1: connect ECONNREFUSED');
    expect(printed).toEqual([
      'service1 us-east-1: connect ECONNREFUSED',
      'another line',
      'service1 us-east-1: connect ECONNREFUSED (and 199 more like it)',
    ]);
  });
});
