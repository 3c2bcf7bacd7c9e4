import type { FindingKind } from './types.ts';

// Where the evidence for each kind of finding lives. The server sends findings as data; the
// link is chosen from `kind`, never from the words of `text`.

export interface Evidence {
  path: string;
  hash: string;
  label: string;
}

const mentoringGaps: Evidence = { path: '/mentoring', hash: 'gaps', label: 'Mentoring gaps' };
const reviewLoad: Evidence = { path: '/reviews', hash: 'load', label: 'Review load' };
const reviewTrends: Evidence = { path: '/reviews', hash: 'trends', label: 'Review trends' };

/** Every kind is listed, so a new kind on the server is a type error here until it has a place. */
const EVIDENCE: Record<FindingKind, Evidence | null> = {
  newcomers_without_mentor: mentoringGaps,
  slow_first_review: mentoringGaps,
  mentor_over_limit: mentoringGaps,
  review_load_piles_up: reviewLoad,
  load_concentrated: reviewLoad,
  rubber_stamps: { path: '/reviews', hash: 'quality', label: 'Review depth' },
  merged_without_review: reviewTrends,
  time_to_first_review: reviewTrends,
  all_clear: null,
};

export function evidenceFor(kind: FindingKind): Evidence | null {
  return EVIDENCE[kind] ?? null;
}
