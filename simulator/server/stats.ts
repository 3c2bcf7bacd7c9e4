/** Counters served at GET /_sim/stats, so benches and tests can see what a client cost. */
export interface SimStats {
  /** Requests by route, e.g. "GET /repos/:owner/:repo/pulls". */
  requests: Record<string, number>;
  /** Requests by method and path as asked, e.g. "GET /repos/acme/api/pulls" (no query), so a test can tell which repo a request served. */
  paths: Record<string, number>;
  total: number;
  /** Rate-limit points charged (REST: 1 per request; GraphQL: the query's cost). */
  pointsCharged: number;
  /** 304 answers to conditional requests (not charged). */
  notModified: number;
  /** Injected faults (500, 502, reset, slow). */
  faults: number;
  /** Requests that arrived while the primary budget was spent, before its reset. 0 for a polite client. */
  overLimit: number;
  /** Requests refused by the primary or the secondary limit. */
  rejectedForLimit: number;
  /** CPU the simulator process used since the last reset (ms): its own share of a client's wall time. */
  cpuMs: number;
}

export function emptyStats(): SimStats {
  return { requests: {}, paths: {}, total: 0, pointsCharged: 0, notModified: 0, faults: 0, overLimit: 0, rejectedForLimit: 0, cpuMs: 0 };
}

export function countRequest(stats: SimStats, route: string, path?: string): void {
  stats.total += 1;
  stats.requests[route] = (stats.requests[route] ?? 0) + 1;
  if (path !== undefined) {
    const key = `${route.split(' ')[0]} ${path}`;
    stats.paths[key] = (stats.paths[key] ?? 0) + 1;
  }
}
