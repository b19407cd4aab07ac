/** Stopping at once on Ctrl-C: a wait, a prompt or a proof that `halt` ends early. */

/**
 * Resolves with `work`'s value, or 'halted' as soon as `halt` is aborted, or 'timeout' after `timeoutMs`
 * if given; the work is then left to itself, and no timer or listener is left behind.
 */
export function untilHalted<T>(work: Promise<T>, halt: AbortSignal | undefined): Promise<T | 'halted'>;
export function untilHalted<T>(
  work: Promise<T>,
  halt: AbortSignal | undefined,
  timeoutMs: number,
): Promise<T | 'halted' | 'timeout'>;
export function untilHalted<T>(
  work: Promise<T>,
  halt: AbortSignal | undefined,
  timeoutMs?: number,
): Promise<T | 'halted' | 'timeout'> {
  if (halt?.aborted) {
    work.catch(() => undefined);
    return Promise.resolve('halted');
  }
  return new Promise<T | 'halted' | 'timeout'>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (finish: () => void) => {
      clearTimeout(timer);
      halt?.removeEventListener('abort', onAbort);
      finish();
    };
    const onAbort = () => settle(() => resolve('halted'));
    halt?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(() => settle(() => resolve('timeout')), timeoutMs);
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}

export { sleep } from '../halted-sleep';
