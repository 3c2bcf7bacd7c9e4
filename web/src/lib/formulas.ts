// The formula behind every tile, as shown by its (i). Definitions: DESIGN.md "Signals".

export const FORMULAS = {
  ttfr: 'Median over pull requests of (first review or review comment by someone other than the author or a bot − clock start). The clock starts at the first review request, else when the PR was marked ready, else when it was opened. PRs still waiting count as waiting, not as missing.',
  ttfrP90: '90th percentile of time to first review, same clock as the median.',
  coverage: 'Merged PRs with at least one review by someone other than the author before merge ÷ merged PRs.',
  sharing: 'Sharing index = (1 − Gini of reviews received per author) × active reviewers ÷ available reviewers. 1 = review work is spread evenly; 0 = one person reviews everything.',
  gini: 'Gini coefficient of reviews given among active reviewers: 0 = everyone gives as many reviews, 1 = one person gives all of them.',
  newcomersWithoutMentor: 'Newcomers (first authored PR within the newcomer window, 90 days by default) with no mentoring edge: nobody with ≥ 180 days more tenure gave them ≥ 2 substantive reviews in the window.',
  truckFactor: 'Avelino et al. (ICPC 2016): remove the author who owns the most files, again and again, until fewer than half of the files have an author left; the number removed is the truck factor. Shown: the lowest among repositories.',
  mentoringEdge: 'Reviewer → author when the reviewer gave ≥ 2 substantive reviews (changes requested, or with a comment or body) on the author\'s PRs in the window, and has ≥ 180 days more tenure. Weight = substantive reviews + inline comments.',
  rubberStamp: 'An approval with no comments and no body on a PR with more than 200 changed lines (configurable in Settings).',
  substantive: 'Changes requested, or a review with at least one comment or a non-empty body.',
  mergedWithoutReview: 'Merged PRs with no review by anyone but the author before the merge.',
  crossTeam: 'Reviews where reviewer and author share no team ÷ all reviews.',
  knowers: 'People who know a directory = DOA authors of its files (Avelino et al.) ∪ people other than the author who reviewed merged PRs touching it in the last 180 days.',
  island: 'A directory with ≥ 3 code files whose only author and only reviewer in the last 180 days is one active person.',
  orphaned: 'Files whose authors have all left the org (no activity for 90 days).',
} as const;
