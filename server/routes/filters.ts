import { z } from 'zod';
import { zValidator } from '@hono/zod-validator';
import { AppError } from '../errors.ts';
import { describeIssues } from '../settings.ts';
import { parseDate } from '../signals/filter.ts';

// The `from`, `to`, `team`, `repo` query every signal route accepts. Shape is checked here;
// whether the team or repo exists, and from < to, is checked by resolveFilter (report.ts).

const date = (name: string) =>
  z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (v === undefined) return;
      try {
        parseDate(name, v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : `${name} is not a date` });
      }
    });

export const FilterQuery = z.object({
  from: date('from'),
  to: date('to'),
  team: z.string().trim().min(1, 'team must not be empty').max(200).optional(),
  repo: z.string().trim().min(1, 'repo must not be empty').max(300).optional(),
});

export type FilterQueryValue = z.infer<typeof FilterQuery>;

/** zValidator whose failures become the product's `{error:{code,message}}` 400. */
export const filterQuery = zValidator('query', FilterQuery, (result) => {
  if (!result.success) {
    // Messages from parseDate already name the parameter; others get the path in front.
    const message = result.error.issues.map((i) => (i.code === 'custom' ? i.message : describeIssues(new z.ZodError([i])))).join(' ');
    throw new AppError('bad_request', `Invalid query: ${message}`);
  }
});
