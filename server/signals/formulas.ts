import type { Settings } from '../settings.ts';
import { agreementFormulas } from './agreements.formulas.ts';

// The formula behind every figure, in one place: the (i) beside each tile, the API and the
// brief all read these. Definitions: DESIGN.md "Signals"; the numbers come from the settings in
// force, so a changed mentee limit or rubber-stamp size shows in every (i) at once.

export const FORMULA_KEYS = [
  'ttfr',
  'ttfrP90',
  'waiting',
  'coverage',
  'mergedWithoutReview',
  'reviews',
  'activeReviewers',
  'substantive',
  'rubberStamp',
  'gini',
  'sharing',
  'crossTeam',
  'reviewMatrix',
  'pendingRequests',
  'loadDistribution',
  'newcomer',
  'newcomersWithoutMentor',
  'mentoringEdge',
  'edgeWeight',
  'tenureGap',
  'menteeLimit',
  'suggestedMentor',
  'tiers',
  'prsOpened',
  'reviewsGiven',
  'reviewsReceived',
  'truckFactor',
  'truckFactorWithoutDeparted',
  'knowers',
  'island',
  'orphaned',
  'privacy',
  'prSize',
  'agreementTimeToFirstReview',
  'agreementReviewCoverage',
  'agreementPrSize',
  'agreementReviewersPerRepo',
  'agreementMenteeLoad',
  'agreementNewcomerMentor',
] as const;

export type FormulaKey = (typeof FORMULA_KEYS)[number];
export type Formulas = Record<FormulaKey, string>;

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** Every formula with the current settings filled in. */
export function formulas(s: Settings): Formulas {
  const clock = 'The clock starts at the first review request, else when the PR was marked ready for review, else when it was opened.';
  return {
    ttfr: `Median over pull requests of (first review or review comment by someone other than the author or a bot − clock start). ${clock} PRs still waiting count with the time waited so far, up to the end of the synced history.`,
    ttfrP90: `90th percentile of time to first review: 9 in 10 pull requests got a first review within this time. ${clock}`,
    waiting: 'Pull requests opened in the period with no review yet at the end of the synced history, not merged or closed.',
    coverage: 'Merged PRs with at least one review by someone other than the author before the merge ÷ merged PRs.',
    mergedWithoutReview: 'Merged PRs with no review by anyone but the author before the merge.',
    reviews: 'Reviews submitted in the period on other people’s pull requests (bots, the ghost user and excluded people never count).',
    activeReviewers: 'People who submitted at least one review on someone else’s pull request in the period.',
    substantive: 'A review that requests changes, or has at least one comment or a written body. Shown as a share of all reviews.',
    rubberStamp: `An approval with no comments and no body on a pull request with more than ${s.rubberStampLines} changed lines (additions + deletions; set in Settings).`,
    gini: 'Gini coefficient of reviews given among active reviewers: 0 = everyone gives as many reviews, 1 = one person gives all of them.',
    sharing: 'Sharing index = (1 − Gini of reviews received per author) × active reviewers ÷ available reviewers. 1 = review work is spread evenly; 0 = one person reviews everything.',
    crossTeam: 'Reviews where the reviewer and the author share no team ÷ reviews where both are in at least one team. Each review counts once, whatever the number of teams its people are in.',
    reviewMatrix: 'Cell: reviews submitted in the period by members of the row’s team on pull requests authored by members of the column’s team; the diagonal is reviews inside a team. A person in two teams appears in both rows, so cells can add up to more than the reviews; the across-teams share above counts each review once.',
    pendingRequests: 'Review requests on open pull requests still waiting for the requested person: no review by them since they were asked. Requests to teams are not counted.',
    loadDistribution: 'Active reviewers grouped by how many reviews each gave in the period (1, 2–5, 6–20, 21 or more), without names.',
    newcomer: `A person whose first authored pull request in the org is within the last ${days(s.newcomerDays)} of the period.`,
    newcomersWithoutMentor: `Newcomers (first authored PR within the last ${days(s.newcomerDays)}) with no mentoring edge: nobody with at least ${days(s.mentorTenureGapDays)} more tenure gave them 2 or more substantive reviews in the period.`,
    mentoringEdge: `Reviewer → author when the reviewer gave 2 or more substantive reviews on the author’s pull requests in the period and has at least ${days(s.mentorTenureGapDays)} more tenure (days since first activity in the org).`,
    edgeWeight: 'Weight = substantive reviews + inline review comments the mentor gave the mentee in the period.',
    tenureGap: `Days between the mentor’s and the mentee’s first activity in the org; an edge needs at least ${days(s.mentorTenureGapDays)}.`,
    menteeLimit: `A mentor with more than ${s.menteeLimit} active mentees in the period is over the limit (set in Settings).`,
    suggestedMentor: `People active in the last 90 days, with at least ${days(s.mentorTenureGapDays)} more tenure and fewer than ${s.menteeLimit} mentees, ranked by how much they authored, reviewed and own in the repositories where the newcomer works.`,
    tiers: 'Core / regular / casual by cumulative share of activity (PRs opened + reviews given): the people making up the first 80% of activity are core, the next 15% regular, the rest casual.',
    prsOpened: 'Pull requests this person opened in the period.',
    reviewsGiven: 'Reviews this person submitted on other people’s pull requests in the period.',
    reviewsReceived: 'Reviews by others on this person’s pull requests in the period.',
    truckFactor: 'Avelino et al. (ICPC 2016): remove the author who owns the most files, again and again, until fewer than half of the files have an author left; the number removed is the truck factor. On the overview: the lowest among repositories.',
    truckFactorWithoutDeparted: 'The same truck factor with people who left the org (no activity for 90 days) removed first.',
    knowers: 'People who know a directory = current DOA authors of its files (Avelino et al.; people who left are not counted) ∪ people other than the author who reviewed merged PRs touching it in the last 180 days.',
    island: 'A directory with 3 or more code files whose only author and only reviewer in the last 180 days is one active person.',
    orphaned: 'A file at the analysed revision all of whose authors have left the org (no activity for 90 days). An orphaned directory holds only such files.',
    ...agreementFormulas(s),
    privacy: `Groups of fewer than ${s.minGroupSize} people are not shown, and neither is the next-smallest group when its figure would let the hidden one be worked out from a total.`,
  };
}
