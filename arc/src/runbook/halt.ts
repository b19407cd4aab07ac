/** Stopping at once on Ctrl-C: a wait, a prompt or a proof that `halt` ends early. */

/** Resolves with `work`'s value, or 'halted' as soon as `halt` is aborted (the work is left to itself). */
export function untilHalted<T>(work: Promise<T>, halt: AbortSignal | undefined): Promise<T | 'halted'> {
  if (!halt) return work;
  if (halt.aborted) {
    work.catch(() => undefined);
    return Promise.resolve('halted');
  }
  return new Promise<T | 'halted'>((resolve, reject) => {
    const onAbort = () => resolve('halted');
    halt.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        halt.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        halt.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** A timer that ends early, and lets the process exit, when `halt` is aborted. */
export function sleep(ms: number, halt: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      halt?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    halt?.addEventListener('abort', done, { once: true });
  });
}
