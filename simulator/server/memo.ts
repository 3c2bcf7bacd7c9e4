/**
 * A value built once per owner and key. Handlers keep what a client asks for again and again
 * (sorted lists, payload bodies, authors) keyed by the org index or one of its lists: the index
 * is rebuilt when the org evolves, so what was built from the old one is dropped with it.
 */
export function memo<O extends object, V>(cache: WeakMap<O, Map<string, V>>, owner: O, key: string, build: () => V): V {
  let byKey = cache.get(owner);
  if (!byKey) cache.set(owner, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key)!;
  const value = build();
  byKey.set(key, value);
  return value;
}
