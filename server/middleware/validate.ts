import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { AppError } from '../errors.ts';

/** One readable line from zod issues, naming the field but never echoing the value sent. */
export function describeIssues(where: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
  return `Invalid ${where}. ${parts.join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`;
}

/**
 * zValidator whose failures become the product's error shape (400 bad_request) instead of
 * the library's default body, which would echo the zod result.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw new AppError('bad_request', describeIssues(target === 'json' ? 'request body' : target, result.error.issues));
  });
}
