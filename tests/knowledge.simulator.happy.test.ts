import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createTestDb, type TestDb } from './harness.ts';
import { generateOrg } from '../simulator/generate/index.ts';
import { buildRepos } from '../simulator/git/index.ts';
import type { SimOrg } from '../simulator/model.ts';
import { computeRepoKnowledge, updateRepoHistory } from '../jobs/git/knowledge.job.ts';

// The simulator plants departed owners and knowledge islands; Guidepost must find them from the
// repos' git history (served as bare repositories) plus, for islands, the review data.

let t: TestDb;
let org: SimOrg;
let reposRoot: string;
let shaOf: Map<string, Map<string, string>>;
const personId = new Map<string, number>();

beforeAll(async () => {
  t = await createTestDb();
  org = generateOrg({ seed: 7, scale: 'tiny' });
  reposRoot = join(t.dir, 'sim-repos');
  shaOf = await buildRepos(org, reposRoot);
  // TEST SETUP, standing in for the GitHub sync: people and repos as the sync stores them.
  for (const p of org.people) {
    const row = await t.db
      .insertInto('people')
      .values({ github_id: p.id, login: p.login, name: p.name, is_bot: p.type === 'Bot' ? 1 : 0, is_ghost: p.deleted ? 1 : 0, raw_id: null, first_seen_at: null, last_seen_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    personId.set(p.login, row.id);
  }
  for (const r of org.repos) {
    await t.db.insertInto('repos').values({ id: r.id, owner: org.org.login, name: r.name, full_name: `${org.org.login}/${r.name}`, default_branch: r.defaultBranch, node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
  }
  for (const r of org.repos) await updateRepoHistory(t.db, { repoId: r.id, cloneUrl: join(reposRoot, `${r.name}.git`), dataDir: t.dir });
}, 120_000);
afterAll(async () => t.close());

async function departedOwners() {
  const rows = await t.db
    .selectFrom('knowledge_authors as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('repos as r', 'r.id', 'a.repo_id')
    .select(['p.login', 'r.name'])
    .where('a.is_departed', '=', 1)
    .where('a.files', '>=', 10)
    .where('p.is_bot', '=', 0)
    .where('p.is_ghost', '=', 0)
    .orderBy('p.login')
    .orderBy('r.name')
    .execute();
  const byLogin = new Map<string, string[]>();
  for (const r of rows) byLogin.set(r.login, [...(byLogin.get(r.login) ?? []), r.name]);
  return [...byLogin].map(([login, repos]) => ({ login, repos }));
}

describe('knowledge of a simulated organisation', () => {
  it('finds every planted departed owner from git history alone', async () => {
    for (const r of org.repos) await computeRepoKnowledge(t.db, { repoId: r.id, now: org.now });
    expect(org.truth.departedOwners.length).toBeGreaterThan(0);
    // With commits as the only activity, people who only review look departed too: every
    // planted owner must be among those found.
    const found = await departedOwners();
    for (const d of org.truth.departedOwners) expect(found).toContainEqual(d);
  });

  it('finds exactly the planted departed owners and islands once reviews are joined', async () => {
    // TEST SETUP, standing in for the GitHub sync: pull requests, reviews and comments.
    const sha = (repo: string, number: number) => {
      const c = org.repos.find((r) => r.name === repo)!.commits.find((x) => x.prNumber === number);
      return c ? (shaOf.get(repo)?.get(c.id) ?? null) : null;
    };
    for (const p of org.pulls) {
      const repo = org.repos.find((r) => r.name === p.repo)!;
      await t.db
        .insertInto('pull_requests')
        .values({
          id: p.id, repo_id: repo.id, number: p.number, title: p.title, author_id: personId.get(p.author)!,
          state: p.mergedAt ? 'merged' : p.closedAt ? 'closed' : 'open', created_at: p.createdAt, updated_at: p.updatedAt,
          merged_at: p.mergedAt, closed_at: p.closedAt, merge_commit_sha: p.mergedAt ? sha(p.repo, p.number) : null,
          node_id: null, head_ref: null, ready_at: null, merged_by_id: null, raw_id: null,
        })
        .execute();
      for (const r of p.reviews) {
        await t.db.insertInto('reviews').values({ id: r.id, pull_request_id: p.id, reviewer_id: personId.get(r.author)!, state: r.state, submitted_at: r.submittedAt, raw_id: null }).execute();
      }
      for (const c of p.issueComments) {
        await t.db.insertInto('issue_comments').values({ id: c.id, pull_request_id: p.id, author_id: personId.get(c.author)!, created_at: c.createdAt, raw_id: null }).execute();
      }
      for (const c of p.reviewComments) {
        await t.db.insertInto('review_comments').values({ id: c.id, pull_request_id: p.id, author_id: personId.get(c.author)!, created_at: c.createdAt, review_id: c.reviewId, path: c.path, raw_id: null }).execute();
      }
    }
    for (const r of org.repos) await computeRepoKnowledge(t.db, { repoId: r.id, now: org.now });
    expect(await departedOwners()).toEqual(org.truth.departedOwners);

    const islands = await t.db
      .selectFrom('knowledge_directories as d')
      .innerJoin('repos as r', 'r.id', 'd.repo_id')
      .select(['r.name as repo', 'd.directory', 'd.sole_owner'])
      .where('d.is_island', '=', 1)
      .orderBy('r.name')
      .orderBy('d.directory')
      .execute();
    const loginOf = new Map([...personId].map(([login, id]) => [`person:${id}`, login]));
    expect(org.truth.knowledgeIslands.length).toBeGreaterThan(0);
    expect(islands.map((i) => ({ repo: i.repo, directory: i.directory, owner: loginOf.get(i.sole_owner!) ?? i.sole_owner }))).toEqual(org.truth.knowledgeIslands);
  });
});
