import { Hono } from 'hono';
import { z } from 'zod';
import { zValidator } from '@hono/zod-validator';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { describeIssues } from '../settings.ts';
import { FilterQuery } from './filters.ts';
import { reviewMatrix } from '../signals/review-matrix.ts';

// Who reviews whom across teams (server/signals/review-matrix.ts). Teams are the rows and
// columns, so the query takes no team.

const MatrixQuery = FilterQuery.pick({ from: true, to: true, repo: true });

const matrixQuery = zValidator('query', MatrixQuery, (result) => {
  if (!result.success) {
    const message = result.error.issues.map((i) => (i.code === 'custom' ? i.message : describeIssues(new z.ZodError([i])))).join(' ');
    throw new AppError('bad_request', `Invalid query: ${message}`);
  }
});

export function reviewMatrixRoutes() {
  return new Hono<AppEnv>().get('/', matrixQuery, async (c) => c.json(await reviewMatrix(c.get('deps').db, c.req.valid('query'))));
}
