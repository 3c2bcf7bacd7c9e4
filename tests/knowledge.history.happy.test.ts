import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDb, type TestDb } from './harness.ts';
import { buildRepo, type FixtureCommit } from './knowledge.fixture.ts';
import { computeRepoKnowledge, updateRepoHistory } from '../jobs/git/knowledge.job.ts';
import { repoGitDir } from '../jobs/git/clone.ts';

const TOKEN = 'ghp_knowledgeTestToken0123456789abcdef';
const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
const first: FixtureCommit[] = [
  { author: 'Ann <ann@example.com>', date: day(0), add: ['api/a.ts', 'api/b.ts', 'api/c.ts', 'README.md'] },
  { author: 'Ben <ben@example.com>', date: day(40), add: ['web/x.ts', 'web/y.ts'] },
  { author: 'Ann <ann@example.com>', date: day(41), modify: ['api/a.ts'] },
];
const later: FixtureCommit[] = [
  { author: 'Ben <ben@example.com>', date: day(70), rename: [['web/y.ts', 'web/z.ts']] },
  { author: 'Cat <cat@example.com>', date: day(71), add: ['jobs/j1.ts', 'jobs/j2.ts', 'jobs/j3.ts'] },
];

describe('importing git history into the database', () => {
  let t: TestDb;
  let source: string;
  beforeAll(async () => {
    t = await createTestDb();
    source = join(t.dir, 'origin.git');
    buildRepo(source, first, { bare: true });
    await t.db.insertInto('repos').values({ id: 7, owner: 'acme', name: 'api', full_name: 'acme/api', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
  });
  afterAll(async () => t.close());

  it('clones once, then imports only the new commits on the next run', async () => {
    const one = await updateRepoHistory(t.db, { repoId: 7, cloneUrl: source, token: TOKEN, dataDir: t.dir });
    expect(one).toMatchObject({ imported: 3, full: true });
    buildRepo(source, later, { bare: true, append: true });
    const two = await updateRepoHistory(t.db, { repoId: 7, cloneUrl: source, token: TOKEN, dataDir: t.dir });
    expect(two).toMatchObject({ imported: 2, full: false });
    const three = await updateRepoHistory(t.db, { repoId: 7, cloneUrl: source, token: TOKEN, dataDir: t.dir });
    expect(three.imported).toBe(0);

    const commits = await t.db.selectFrom('commits').select(['sha', 'author_email']).where('repo_id', '=', 7).execute();
    expect(commits).toHaveLength(5);
    const rename = await t.db.selectFrom('file_changes').selectAll().where('status', '=', 'R').execute();
    expect(rename).toEqual([expect.objectContaining({ path: 'web/z.ts', old_path: 'web/y.ts' })]);
    const state = await t.db.selectFrom('sync_state').selectAll().where('scope', '=', 'git:acme/api').executeTakeFirstOrThrow();
    expect(state.bookmark).toBe(execFileSync('git', ['-C', source, 'rev-parse', 'main']).toString().trim());
  });

  it('keeps the clone partial and bare, and the token out of its config and the database', async () => {
    const gitDir = repoGitDir(t.dir, 'acme', 'api');
    expect(readdirSync(gitDir)).toContain('HEAD');
    const config = readFileSync(join(gitDir, 'config'), 'utf8');
    expect(config).toContain('bare = true');
    expect(config).not.toContain(TOKEN);
    const dump = JSON.stringify(await t.db.selectFrom('sync_state').selectAll().execute());
    expect(dump).not.toContain(TOKEN);
  });

  it('computes truck factor, islands and a monthly trend from the stored history', async () => {
    const summary = await computeRepoKnowledge(t.db, { repoId: 7, now: day(75) });
    // Ann 3 files (api), Ben 2 (web), Cat 3 (jobs); 8 code files. Ann, then Cat: 2/8 left.
    expect(summary).toMatchObject({ files: 8, authors: 3, truckFactor: 2 });
    const repo = await t.db.selectFrom('knowledge_repos').selectAll().where('repo_id', '=', 7).executeTakeFirstOrThrow();
    expect(repo).toMatchObject({ files: 8, excluded_files: 1, truck_factor: 2, commits: 5 });
    // Ann's last commit is day 41: active at day 75. api (3 files, Ann alone) and jobs (Cat) are islands.
    const dirs = await t.db.selectFrom('knowledge_directories').selectAll().where('repo_id', '=', 7).orderBy('directory').execute();
    expect(dirs.map((d) => [d.directory, d.is_island])).toEqual([['api', 1], ['jobs', 1], ['web', 0]]);
    const trend = await t.db.selectFrom('knowledge_trend').selectAll().where('repo_id', '=', 7).orderBy('month').execute();
    expect(trend.map((p) => p.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(trend.map((p) => p.files)).toEqual([3, 5, 8]);
    expect(trend[0]!.truck_factor).toBe(1);
  });
});
