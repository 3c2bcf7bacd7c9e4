import type { MentoringGap } from './types.ts';

/** What kind of gap, in two or three words: the reason beside it says why. */
export const GAP_LABEL: Record<MentoringGap['kind'], string> = {
  no_mentor: 'No mentor',
  slow_first_review: 'Slow first review',
  rubber_stamped: 'Rubber-stamped',
  mentor_over_limit: 'Mentor over limit',
};
