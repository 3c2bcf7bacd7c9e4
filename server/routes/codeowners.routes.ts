import { Hono } from 'hono';
import { z } from 'zod';
import { zValidator } from '@hono/zod-validator';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { DriftReport } from '../db/codeowners.report.ts';

// Declared ownership against real knowledge (jobs/git/ownership-drift.ts), beside the repo's
// knowledge: GET /api/knowledge/:owner/:repo/codeowners reads the report the compute step wrote.

const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const Params = z.object({ owner: z.string().regex(NAME, 'owner must be a GitHub owner name'), repo: z.string().regex(NAME, 'repo must be a GitHub repository name') });

export function codeownersRoutes() {
  return new Hono<AppEnv>().get(
    '/:owner/:repo/codeowners',
    zValidator('param', Params, (result) => {
      if (!result.success) throw new AppError('bad_request', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }),
    async (c) => {
      const { db } = c.get('deps');
      const { owner, repo } = c.req.valid('param');
      const fullName = `${owner}/${repo}`;
      const r = await db.selectFrom('repos').select('id').where('full_name', '=', fullName).executeTakeFirst();
      if (!r) throw new AppError('not_found', `No repository "${fullName}" has been synced.`);
      const drift = await db.selectFrom('knowledge_codeowners_drift').selectAll().where('repo_id', '=', r.id).executeTakeFirst();
      if (!drift) throw new AppError('not_found', `The history of "${fullName}" has not been analysed yet; it is analysed after the next sync.`);
      return c.json({ repo: fullName, sha: drift.sha, asOf: drift.as_of, ...(JSON.parse(drift.report) as DriftReport) });
    },
  );
}
