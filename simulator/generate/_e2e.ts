import { createTestDb } from '/work/main/tests/harness.ts';
import { startSimulator } from '/work/main/simulator/start.ts';
import { createLogger } from '/work/main/server/logger.ts';
import { createRunner } from '/work/main/jobs/runner.ts';
import { enqueue } from '/work/main/jobs/queue.ts';
import { createGithubClient } from '/work/main/jobs/github/client.ts';
import { SYNC_ORG, syncTasks } from '/work/main/jobs/github/sync.ts';
const seed = Number(process.argv[2] ?? 1);
const t = await createTestDb();
const sim = await startSimulator({ seed, scale: 'small' });
try {
  const logger = createLogger('silent');
  const client = createGithubClient({ baseUrl: sim.url, auth: { kind: 'token', token: sim.token }, logger });
  const services: any = { clientFor: async () => client, dataDir: t.dir, backfillDays: 3650, onRepoSynced: [], knowledge: true, tokenFor: async () => sim.token };
  const runner = createRunner({ db: t.db, logger, tasks: syncTasks, services, concurrency: 4, backoffBaseMs: 50 });
  await enqueue(t.db, { task: SYNC_ORG, key: `${SYNC_ORG}:${sim.org.org.login}`, payload: { org: sim.org.org.login, since: '2000-01-01T00:00:00Z' } });
  await runner.drain();
  const failed = await t.db.selectFrom('jobs').select(['task', 'last_error']).where('last_error', 'is not', null).execute();
  console.log('failed', failed);
  const { computeRepoKnowledge } = await import('/work/main/jobs/git/knowledge.job.ts');
  for (const r of await t.db.selectFrom('repos').select(['id']).execute()) await computeRepoKnowledge(t.db, { repoId: r.id, now: sim.org.truth.now });
  const dirs = await t.db.selectFrom('knowledge_directories as d').innerJoin('repos as r', 'r.id', 'd.repo_id').select(['r.name', 'd.directory', 'd.sole_owner', 'd.is_island', 'd.files', 'd.authors', 'd.reviewers']).where('d.is_island', '=', 1).execute();
  console.log('product islands', dirs.map((d: any) => `${d.name}:${d.directory}:${d.sole_owner}`));
  console.log('truth islands  ', sim.org.truth.knowledgeIslands.map((i) => `${i.repo}:${i.directory}:${i.owner}`));
  const auth = await t.db.selectFrom('knowledge_authors as a').innerJoin('repos as r', 'r.id', 'a.repo_id').select(['r.name', 'a.author_key', 'a.name as n', 'a.files', 'a.is_departed']).where('a.is_departed', '=', 1).where('a.files', '>=', 10).execute();
  console.log('product departed owners', auth.map((a: any) => `${a.author_key}/${a.n}:${a.name}:${a.files}`));
  console.log('truth departed', JSON.stringify(sim.org.truth.departedOwners));
  const rs = await t.db.selectFrom('knowledge_repos').select(['repo_id', 'as_of', 'files', 'islands']).execute();

} finally { await sim.close(); await t.close(); }
