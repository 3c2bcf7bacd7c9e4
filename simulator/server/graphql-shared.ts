// Helpers shared by the GraphQL source builders.
import type { SimPull } from '../model.ts';
import type { SimState } from './state.ts';

export type Src = Record<string, unknown>;
export type Dir = 'ASC' | 'DESC';
export interface Order {
  field: string;
  direction: Dir;
}

export const ordered = <T>(list: T[], key: (x: T) => string | number, tie: (x: T) => number, direction: Dir): T[] =>
  [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const d = ka < kb ? -1 : ka > kb ? 1 : tie(a) - tie(b);
    return direction === 'DESC' ? -d : d;
  });

export const webUrl = (s: SimState, ...parts: (string | number)[]) => [s.baseUrl, ...parts.map((p) => encodeURIComponent(String(p)))].join('/');

/**
 * GraphQL `Int` is 32-bit; ids beyond it (modern review and comment ids) come back null from
 * `databaseId`, and clients read `fullDatabaseId` (a BigInt string) instead, as on GitHub.
 */
export const int32 = (id: number): number | null => (id <= 2_147_483_647 ? id : null);

export function pullState(p: SimPull): 'OPEN' | 'CLOSED' | 'MERGED' {
  return p.mergedAt !== null ? 'MERGED' : p.closedAt !== null ? 'CLOSED' : 'OPEN';
}
