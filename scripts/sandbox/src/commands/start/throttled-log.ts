/**
 * Prints each distinct line at most once per window, then says how many repeats it held back: an outage
 * at hundreds of requests per second should read as one line every few seconds, not a flood.
 */
export function throttledLog(print: (line: string) => void, windowMs = 5000): (line: string) => void {
  const seen = new Map<string, { until: number; held: number }>();
  return (line) => {
    const now = Date.now();
    const entry = seen.get(line);
    if (entry && now < entry.until) {
      entry.held += 1;
      return;
    }
    const repeats = entry?.held ? ` (and ${entry.held} more like it)` : '';
    seen.set(line, { until: now + windowMs, held: 0 });
    if (seen.size > 1000) seen.clear();
    print(`${line}${repeats}`);
  };
}
