/** A response as a failover timeline sees it: when, and which Region answered (none if it failed). */
export interface Observation {
  at: number;
  region?: string;
}

export interface Convergence {
  /** From the change to the first response from the new Region. */
  firstMs?: number;
  /** From the change to the first response from the new Region after which every response came from it. */
  allMs?: number;
}

/** How traffic moved to `to` after a routing change at `changedAt`, from observations in time order. */
export function convergence(observations: Observation[], changedAt: number, to: string): Convergence {
  const after = observations.filter((o) => o.at >= changedAt);
  const first = after.find((o) => o.region === to);
  const lastElsewhere = after.findLastIndex((o) => o.region !== to);
  const settled = after.slice(lastElsewhere + 1).find((o) => o.region === to);
  return {
    firstMs: first && first.at - changedAt,
    allMs: settled && settled.at - changedAt,
  };
}
