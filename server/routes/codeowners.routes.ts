import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { DriftReport } from '../db/codeowners.report.ts';
import { syncedRepoId, validParams } from './knowledge.routes.ts';

// Declared ownership against real knowledge (jobs/git/ownership-drift.ts), beside the repo's
// knowledge: GET /api/knowledge/:owner/:repo/codeowners reads the report the compute step wrote.

export function codeownersRoutes() {
  return new Hono<AppEnv>().get(
    '/:owner/:repo/codeowners',
    validParams,
    async (c) => {
      const { db } = c.get('deps');
      const { owner, repo } = c.req.valid('param');
      const fullName = `${owner}/${repo}`;
      const drift = await db.selectFrom('knowledge_codeowners_drift').selectAll().where('repo_id', '=', await syncedRepoId(db, fullName)).executeTakeFirst();
      if (!drift) throw new AppError('not_found', `The history of "${fullName}" has not been analysed yet; it is analysed after the next sync.`);
      return c.json({ repo: fullName, sha: drift.sha, asOf: drift.as_of, ...(JSON.parse(drift.report) as DriftReport) });
    },
  );
}
