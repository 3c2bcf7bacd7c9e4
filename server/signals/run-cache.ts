import type { Db } from '../db/connect.ts';
import { readDeriveState } from './history.ts';

// What readers load whole from the signal tables (the people, team members, per-person weeks,
// pending spans), kept per database until the next derive: every derive writes a new run id in
// the transaction that rewrites those tables, so a value read under one run id is the tables'
// content for as long as that id stands. Every report needs them; reading them again for each
// one was a tenth of an uncached report's time on a large org.

export interface Kept {
  stamp: string;
  value: Promise<unknown>;
}

/** Where kept values live: a Map or a WeakMap. */
interface Store<K> {
  get(key: K): Kept | undefined;
  set(key: K, value: Kept): unknown;
  delete(key: K): unknown;
}

/**
 * `load()` for `key`, made once while `stamp` stays the same (null: nothing to key on, so made
 * each time). A failed load is not kept: the next caller tries again. Callers share the value
 * and must not change it.
 */
export function keptWhile<K, T>(store: Store<K>, key: K, stamp: string | null, load: () => Promise<T>): Promise<T> {
  const hit = store.get(key);
  if (hit && stamp !== null && hit.stamp === stamp) return hit.value as Promise<T>;
  const value = load();
  if (stamp === null) return value;
  store.set(key, { stamp, value });
  value.catch(() => {
    if (store.get(key)?.value === value) store.delete(key);
  });
  return value;
}

/** Puts `key` last in `map` (most recently used) and drops the least recently used past `limit`. */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value!);
}

const caches = new WeakMap<Db, Map<string, Kept>>();

/** `load(db)`, once per derive run (each time before the first derive: there is no run id yet). */
export async function perRun<T>(db: Db, name: string, load: (db: Db) => Promise<T>): Promise<T> {
  const run = (await readDeriveState(db))?.run || null;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return keptWhile(cache, name, run, () => load(db));
}
