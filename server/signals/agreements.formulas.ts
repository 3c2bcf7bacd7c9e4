import type { Settings } from '../settings.ts';

// The formulas of the working agreements (and of the one figure only they use, PR size), with
// the team's targets filled in; formulas.ts serves them with every other formula. An agreement
// not set reads "N": the formula is still there for the (i) of the settings form.

type AgreementFormulaKey =
  | 'prSize'
  | 'agreementTimeToFirstReview'
  | 'agreementReviewCoverage'
  | 'agreementPrSize'
  | 'agreementReviewersPerRepo'
  | 'agreementMenteeLoad'
  | 'agreementNewcomerMentor';

/** A met agreement says so; one that is not is drifting (shown in amber, as a team figure). */
const status = 'Drifting when it is not met; no data when the period holds nothing to measure.';

/** The menteeLoad agreement's limit: its own, else the mentee limit of the mentoring signal. */
export function menteeLoadLimit(s: Settings): number {
  return s.agreements.menteeLoad?.atMost ?? s.menteeLimit;
}

/** "the median", "p75", "p90". */
export function percentileName(p: number): string {
  return p === 50 ? 'the median' : `p${p}`;
}

export function agreementFormulas(s: Settings): Record<AgreementFormulaKey, string> {
  const a = s.agreements;
  const ttfr = a.timeToFirstReview;
  const reviewers = a.reviewersPerRepo?.atLeast ?? 'N';
  const days = a.newcomerMentor?.withinDays ?? 30;
  const percentile = ttfr?.percentile ?? 75;
  return {
    prSize: 'PR size at p75 = 75th percentile (linear interpolation) of changed lines (additions + deletions) over the pull requests opened in the period.',
    agreementTimeToFirstReview: `Met when time to first review at ${percentileName(percentile)} (the same figure as the review clock: first review or review comment by someone other than the author − clock start, waiting PRs counted with the time waited so far) is at most ${ttfr?.hours ?? 'N'} hours. ${status}`,
    agreementReviewCoverage: `Met when review coverage (merged PRs with a review by someone other than the author before the merge ÷ merged PRs) is at least ${a.reviewCoverage?.atLeastPercent ?? 'N'}%. ${status}`,
    agreementPrSize: `Met when the 75th percentile of changed lines (additions + deletions) over the pull requests opened in the period is at most ${a.prSize?.p75AtMostLines ?? 'N'} lines. ${status}`,
    agreementReviewersPerRepo: `A repository with a pull request opened or merged, or a review given, in the period meets it when at least ${reviewers} different people reviewed there in the period (bots and excluded people never count). Met when every such repository does; drifting lists the repositories with fewer. Shown: the fewest reviewers any such repository had. ${status}`,
    agreementMenteeLoad: `Largest mentee load = the most distinct mentees one mentor has (mentoring edges in the period). Met when it is at most ${menteeLoadLimit(s)}${a.menteeLoad?.atMost === undefined ? ' (the mentee limit)' : ''}. ${status}`,
    agreementNewcomerMentor: `Newcomers whose first pull request was at least ${days} days before the end of the period (or of the synced history, when earlier) count; each meets it when a mentoring edge to them began (first substantive review in the period) within ${days} days of that first pull request. Met when every counted newcomer does; newcomers younger than ${days} days are not counted yet. Shown: the counted newcomers who had a mentor in time. ${status}`,
  };
}
