// Shared state of one generation run, passed to the planners.
import type { Actor } from './actors.ts';
import type { Rng } from './random.ts';
import type { RepoPlan } from './repos.ts';
import type { ReviewBook } from './review-book.ts';
import type { ScaleConfig } from './scales.ts';
import type { PullSpec } from './spec.ts';

export interface GenContext {
  rng: Rng;
  now: number;
  cfg: ScaleConfig;
  actors: Actor[];
  byLogin: Map<string, Actor>;
  /** Possible reviewers per repo index (humans, incl. the ghost where it worked). */
  reviewersByRepo: Actor[][];
  repos: RepoPlan[];
  book: ReviewBook;
  specs: PullSpec[];
  /** Planted load carriers (logins), for fast look-up. */
  carriers: Set<string>;
  intended: {
    mentorPairs: { mentor: string; mentee: string }[];
    overloadedMentors: string[];
    loadCarriers: string[];
    rubberStampers: string[];
    knowledgeIslands: { repo: string; directory: string; owner: string }[];
    departedOwners: { login: string; repos: string[] }[];
  };
}
