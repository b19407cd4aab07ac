/** A timer that ends early, and lets the process exit, when `halt` is aborted; it never rejects. */
export function sleep(ms: number, halt?: AbortSignal): Promise<void> {
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
