import type { Db } from '../db/connect.ts';
import { readDeriveState } from './history.ts';

// What readers load whole from the signal tables (the people, team members, per-person weeks,
// pending spans), kept per database until the next derive: every derive writes a new run id in
// the transaction that rewrites those tables, so a value read under one run id is the tables'
// content for as long as that id stands. Every report needs them; reading them again for each
// one was a tenth of an uncached report's time on a large org.

const caches = new WeakMap<Db, Map<string, { run: string; value: Promise<unknown> }>>();

/** `load(db)`, once per derive run; callers must not change what they get back. */
export async function perRun<T>(db: Db, name: string, load: (db: Db) => Promise<T>): Promise<T> {
  const run = (await readDeriveState(db))?.run ?? '';
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(name);
  // No derive yet (no run id): nothing to key on, so read each time.
  if (hit && hit.run === run && run !== '') return hit.value as Promise<T>;
  const value = load(db);
  cache.set(name, { run, value });
  // A failed read is not kept: the next caller tries again.
  value.catch(() => {
    if (cache.get(name)?.value === value) cache.delete(name);
  });
  return value;
}
