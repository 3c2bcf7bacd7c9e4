// Pools of titles, bodies and comments. Text is picked from pools, never generated per item, so
// even the large scale costs little (and the strings are shared, not copied).
import type { Rng } from './random.ts';

const VERBS = ['Add', 'Fix', 'Refactor', 'Remove', 'Update', 'Speed up', 'Simplify', 'Document', 'Harden', 'Rename', 'Split', 'Validate', 'Cache', 'Log', 'Retry'];
const OBJECTS = [
  'pagination in list endpoints', 'null check in invoice mapper', 'session expiry handling', 'flaky retry test',
  'webhook signature validation', 'slow query in reports', 'error messages for bad input', 'cache invalidation on update',
  'metrics for queue depth', 'timezone handling in scheduler', 'CSV export of ledger', 'rate limiter config',
  'search ranking weights', 'notification batching', 'user settings form', 'feature flag cleanup', 'auth token refresh',
  'database migration for orders', 'dead code in legacy sync', 'N+1 query in dashboard', 'unicode handling in names (ü, ø, 漢字)',
  'build warnings', 'health check endpoint', 'graceful shutdown', 'payload size limits', 'retry backoff jitter',
];
const PR_BODIES = [
  '', '', 'Small follow-up to the last change.', 'Fixes the issue reported in support.\n\n- adds a test\n- updates the docs',
  '## What\nSee title.\n\n## Why\nCustomers hit this twice last week.', 'Part of the Q2 cleanup.', 'Co-authored with the platform team. 🙏',
  'This is a larger change; happy to split it if it is hard to review.', 'WIP: do not merge yet.', 'Closes #12',
];
const REVIEW_BODIES_SUBSTANTIVE = [
  'Looks good overall, a few suggestions inline.', 'Could we add a test for the empty case?', 'I think this breaks the retry path, see comments.',
  'Nice! One concern about the migration order.', 'Please split the refactor from the fix, it is hard to follow.',
  'Approving with a nit: the name `tmp2` could be clearer.', 'Let us talk about the error handling before merging.',
  'This duplicates logic in the billing module; can we reuse it?', 'Great first PR! A few notes on our conventions inline.',
  'Consider what happens when the queue is empty.',
];
const REVIEW_COMMENTS = [
  'nit: trailing whitespace', 'Can this be `const`?', 'This will throw when the list is empty.', 'Why not reuse the helper in utils?',
  'Please add a comment explaining why.', 'Off-by-one here? `<=` vs `<`.', 'Maybe extract this into its own function.',
  'This query runs once per row; batch it.', 'We usually log with the request id here.', 'Typo: "recieve".',
  'Is this covered by a test?', 'Consider a timeout for this call.', 'Could we avoid the any here?', 'Naming: `data` is vague.',
  'Good catch 👍', 'This should be behind the feature flag.', 'Edge case: DST change at midnight.',
];
const REPLIES = ['+1', 'Agreed with the above.', 'Same thought here.', 'Done in the latest push.'];
const ISSUE_COMMENTS_AUTHOR = ['Thanks for the review!', 'Addressed the comments.', 'Rebased on main.', 'Ping for review 🙂', 'Updated, PTAL.'];
const ISSUE_COMMENTS_OTHER = ['LGTM', 'Any update on this?', 'Can we ship this today?', 'Tested locally, works for me.', 'Shall we backport this?'];
const BOT_COMMENTS = [
  'Coverage: 84.2% (+0.1%) ✅', 'Dependency review: no vulnerable packages found.',
  '⚠️ Artifact update problem: lock file could not be regenerated, please run `npm install`.',
  'This PR will be auto-merged when checks pass.',
];
const BOT_REVIEW_BODIES = ['Automated review: lockfile is consistent.', 'Renovate: this update has a known breaking change, see release notes.'];
const DEPS = ['lodash', 'zod', 'express', 'typescript', 'eslint', 'vitest', 'pino', 'axios', 'react', 'date-fns'];

export const text = {
  prTitle: (rng: Rng) => `${rng.pick(VERBS)} ${rng.pick(OBJECTS)}`,
  botTitle: (rng: Rng, bot: string) => {
    const dep = rng.pick(DEPS);
    const v = `${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)}`;
    return bot.startsWith('renovate') ? `chore(deps): update dependency ${dep} to v${v}` : `Bump ${dep} from ${rng.int(1, 9)}.${rng.int(0, 9)}.0 to ${v}`;
  },
  prBody: (rng: Rng) => rng.pick(PR_BODIES),
  reviewBody: (rng: Rng) => rng.pick(REVIEW_BODIES_SUBSTANTIVE),
  reviewComment: (rng: Rng) => rng.pick(REVIEW_COMMENTS),
  reply: (rng: Rng) => rng.pick(REPLIES),
  authorComment: (rng: Rng) => rng.pick(ISSUE_COMMENTS_AUTHOR),
  otherComment: (rng: Rng) => rng.pick(ISSUE_COMMENTS_OTHER),
  botComment: (rng: Rng) => rng.pick(BOT_COMMENTS),
  botReviewBody: (rng: Rng) => rng.pick(BOT_REVIEW_BODIES),
  changesRequested: 'Requesting changes, see inline comments.',
  dismissed: 'Blocking until the migration is reviewed by the data team.',
};
