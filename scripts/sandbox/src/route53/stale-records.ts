/**
 * What a game day does to the zone: an API's record stops following its routing controls (`stale`: it keeps
 * answering the Region it answers now, as when a change has not reached the name servers yet), or follows
 * them again (`none`).
 */
export type DnsFault = 'stale' | 'none';
export const DNS_FAULTS: readonly DnsFault[] = ['stale', 'none'];

/** The Region each API's record answers: its routing controls' Region, unless a `stale` fault holds it. */
export class RecordRegions {
  private readonly held = new Map<string, string>();

  constructor(private readonly controlsRegion: (api: string) => string) {}

  regionOf(api: string): string {
    return this.held.get(api) ?? this.controlsRegion(api);
  }

  /** The Region a `stale` fault holds the API's record on, if one does. */
  staleOn(api: string): string | undefined {
    return this.held.get(api);
  }

  /** `stale` holds the record where it answers now (again: where it was held); `none` lets it follow again. */
  setFault(api: string, fault: DnsFault): string | undefined {
    if (fault === 'none') this.held.delete(api);
    else this.held.set(api, this.regionOf(api));
    return this.held.get(api);
  }
}
