import { z } from 'zod';

// A team's working agreements (issue 15): targets it sets for itself, each optional. An unset
// target is no agreement and is not shown; the read model is server/signals/agreements.ts.

const whole = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max}` });

/** The percentiles the review clock reports (median, p75, p90): an agreement's actual is that figure. */
export const AGREEMENT_PERCENTILES = [50, 75, 90] as const;

export const AgreementsSchema = z
  .object({
    /** The review clock's percentile at most this many hours. */
    timeToFirstReview: z
      .object({
        hours: z
          .number({ error: 'hours must be a number: the most hours the first review may take' })
          .positive({ error: 'hours must be more than 0' })
          .max(8760, { error: 'hours must be at most 8760 (a year)' }),
        percentile: z.literal(AGREEMENT_PERCENTILES, { error: 'percentile must be 50, 75 or 90 (the median, p75 or p90 of time to first review)' }).default(75),
      })
      .strict(),
    /** Merged PRs reviewed by someone other than the author: at least this share, in percent. */
    reviewCoverage: z.object({ atLeastPercent: whole('atLeastPercent', 0, 100) }).strict(),
    /** Changed lines (additions + deletions) of the PRs opened, at p75: at most this many. */
    prSize: z.object({ p75AtMostLines: whole('p75AtMostLines', 1, 1_000_000) }).strict(),
    /** Every repository with activity has at least this many distinct reviewers. */
    reviewersPerRepo: z.object({ atLeast: whole('atLeast', 1, 1000) }).strict(),
    /** The largest number of mentees one mentor has; unset `atMost` is the mentee limit. */
    menteeLoad: z.object({ atMost: whole('atMost', 1, 1000).optional() }).strict(),
    /** Every newcomer has a mentor within this many days of their first PR. */
    newcomerMentor: z.object({ withinDays: whole('withinDays', 1, 365).default(30) }).strict(),
  })
  .partial()
  .strict();

export type Agreements = z.infer<typeof AgreementsSchema>;
export type AgreementKey = keyof Agreements;
