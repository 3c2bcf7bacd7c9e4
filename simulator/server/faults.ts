// Seeded fault injection so a client's retry logic can be exercised reproducibly.

export type FaultKind = 'error500' | 'error502' | 'reset' | 'slow';

const KINDS: FaultKind[] = ['error500', 'error502', 'reset', 'slow'];

/** How long a "slow" fault holds the answer back. */
export const SLOW_FAULT_MS = 2000;

/** mulberry32: a tiny, well-known 32-bit PRNG; enough for picking faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a picker: with probability `rate` a fault kind, else null. */
export function createFaults(rate: number, seed: number): () => FaultKind | null {
  const rnd = seededRandom(seed ^ 0x5eed);
  return () => {
    if (rate <= 0) return null;
    if (rnd() >= rate) return null;
    return KINDS[Math.floor(rnd() * KINDS.length)] ?? 'error500';
  };
}
