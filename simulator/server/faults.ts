// Seeded fault injection so a client's retry logic can be exercised reproducibly.

import { createRng } from '../generate/random.ts';

export type FaultKind = 'error500' | 'error502' | 'reset' | 'slow';

const KINDS: FaultKind[] = ['error500', 'error502', 'reset', 'slow'];

/** How long a "slow" fault holds the answer back. */
export const SLOW_FAULT_MS = 2000;

/** The generator's mulberry32 stream, so fault picks reproduce from the seed. */
export function seededRandom(seed: number): () => number {
  return createRng(seed).next;
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
