// How big each scale is and how many of each planted kind it holds (docs/simulator.md).
import type { Scale } from '../model.ts';

export interface ScaleConfig {
  repos: number;
  /** Target number of pull requests in total (planted ones included). */
  pulls: number;
  /** Mean number of reviews per reviewed background PR. */
  reviewsPerPull: number;
  /** Leaf code directories per repo at import. */
  codeDirs: [number, number];
  teams: number;
  people: {
    seniors: number;
    departedOwners: number;
    departedOthers: number;
    recentLeavers: number;
    mids: number;
    juniors: number;
    mentoredNewcomers: number;
    unmentoredNewcomers: number;
  };
  /** Mentors besides the overloaded one, each with 1–3 mentees. */
  mentors: number;
  loadCarriers: number;
  rubberStampers: number;
  islands: number;
}

export const SCALES: Record<Scale, ScaleConfig> = {
  tiny: {
    repos: 2, pulls: 150, reviewsPerPull: 1.8, codeDirs: [4, 5], teams: 2,
    people: { seniors: 6, departedOwners: 1, departedOthers: 1, recentLeavers: 0, mids: 1, juniors: 4, mentoredNewcomers: 2, unmentoredNewcomers: 3 },
    mentors: 1, loadCarriers: 2, rubberStampers: 2, islands: 1,
  },
  small: {
    repos: 5, pulls: 600, reviewsPerPull: 2.2, codeDirs: [5, 7], teams: 4,
    people: { seniors: 10, departedOwners: 1, departedOthers: 2, recentLeavers: 1, mids: 4, juniors: 5, mentoredNewcomers: 3, unmentoredNewcomers: 4 },
    mentors: 2, loadCarriers: 2, rubberStampers: 2, islands: 2,
  },
  medium: {
    repos: 20, pulls: 10_000, reviewsPerPull: 2.8, codeDirs: [8, 12], teams: 8,
    people: { seniors: 45, departedOwners: 2, departedOthers: 8, recentLeavers: 6, mids: 40, juniors: 25, mentoredNewcomers: 14, unmentoredNewcomers: 10 },
    mentors: 8, loadCarriers: 3, rubberStampers: 3, islands: 3,
  },
  large: {
    repos: 50, pulls: 50_000, reviewsPerPull: 4.3, codeDirs: [10, 16], teams: 16,
    people: { seniors: 110, departedOwners: 3, departedOthers: 20, recentLeavers: 15, mids: 120, juniors: 70, mentoredNewcomers: 38, unmentoredNewcomers: 24 },
    mentors: 15, loadCarriers: 3, rubberStampers: 3, islands: 4,
  },
};

export function scaleConfig(scale: Scale): ScaleConfig {
  const c = SCALES[scale];
  if (!c) throw new Error(`Unknown scale "${String(scale)}": use tiny, small, medium or large.`);
  return c;
}
