type Values<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/**
 * Every read at once: waits for all of them, then throws the first failure in the reads' order, so that
 * one run and the next report the same problem however the answers race.
 */
export async function allInOrder<T extends readonly unknown[]>(reads: T): Promise<Values<T>> {
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as Values<T>;
}
