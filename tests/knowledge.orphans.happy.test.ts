import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { buildRepo } from './knowledge.fixture.ts';
import { computeRepoKnowledge, updateRepoHistory } from '../jobs/git/knowledge.job.ts';

// Orphaned files, one definition everywhere: a code file at the analysed revision all of whose
// DOA authors have departed. The history below has each shape that once made a summary and the
// list beside it disagree: an orphaned file in a directory someone active still works in (api),
// a directory whose other files have no author at all, only a bot's commits (core), and a
// directory whose only author left but someone active reviews (legacy).

const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
const OLGA = 'Olga <olga@example.com>';
const PIA = 'Pia <1234+pia@users.noreply.github.com>';
let t: TestDb;
let app: ReturnType<typeof createTestApp>;

interface Directory { directory: string; files: number; orphanedFiles: number; orphaned: boolean; knowers: number }
interface Area { directory: string; files: number; authors: (string | null)[]; paths: string[] }
interface Detail { orphanedFiles: number; orphanedAreas: Area[]; directories: Directory[] }

beforeAll(async () => {
  t = await createTestDb();
  const source = join(t.dir, 'origin');
  buildRepo(source, [
    { author: OLGA, date: day(0), add: ['api/old.ts', 'core/a.ts', 'core/b.ts', 'core/c.ts', 'legacy/x.ts'] },
    { author: 'deploy[bot] <deploy[bot]@example.com>', date: day(150), add: ['core/gen.ts', 'core/gen2.ts'] },
    { author: PIA, date: day(150), add: ['api/new.ts'] },
    // One change by Pia leaves Olga the only author of legacy/x.ts (doa.ts), and Rui reviews it.
    { author: PIA, date: day(160), modify: ['legacy/x.ts'] },
  ]);
  await t.db.insertInto('repos').values({ id: 1, owner: 'acme', name: 'engine', full_name: 'acme/engine', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
  await t.db.insertInto('people').values([
    { id: 10, login: 'pia', name: 'Pia', github_id: 1234, raw_id: null, first_seen_at: null, last_seen_at: null },
    { id: 11, login: 'rui', name: 'Rui', github_id: 99, raw_id: null, first_seen_at: null, last_seen_at: null },
  ]).execute();
  await updateRepoHistory(t.db, { repoId: 1, cloneUrl: source, dataDir: t.dir });
  const legacySha = (await t.db.selectFrom('file_changes').select('sha').where('path', '=', 'legacy/x.ts').where('status', '=', 'M').executeTakeFirstOrThrow()).sha;
  await t.db.insertInto('pull_requests').values({ id: 500, repo_id: 1, number: 1, title: 'legacy x', author_id: 10, state: 'merged', created_at: day(159), updated_at: day(160), merged_at: day(160), merge_commit_sha: legacySha, node_id: null, head_ref: null, ready_at: null, closed_at: day(160), merged_by_id: 10, raw_id: null }).execute();
  await t.db.insertInto('reviews').values({ id: 900, pull_request_id: 500, reviewer_id: 11, state: 'APPROVED', submitted_at: day(160), raw_id: null }).execute();
  // Olga's last commit is 200 days before this: departed. Pia and Rui were active 40 days ago.
  await computeRepoKnowledge(t.db, { repoId: 1, now: day(200) });
  app = createTestApp(t);
});
afterAll(async () => t.close());

/** Orphaned files counted straight from the tables docs/schema.md documents. */
async function orphanedInTables(repoId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT COUNT(*) AS n FROM (
      SELECT f.path FROM knowledge_file_authors f
      JOIN knowledge_authors a ON a.repo_id = f.repo_id AND a.author_key = f.author_key
      WHERE f.repo_id = ${repoId}
      GROUP BY f.path
      HAVING MIN(a.is_departed) = 1
    ) AS orphaned`.execute(t.db);
  return Number(rows[0]!.n);
}

const detail = async () => (await (await app.request('/api/knowledge/acme/engine')).json()) as Detail;

describe('orphaned files', () => {
  it('the summary, the list of areas and a plain count over the knowledge tables agree', async () => {
    const k = await detail();
    expect(k.orphanedFiles).toBe(5);
    expect(k.orphanedAreas.reduce((n, a) => n + a.files, 0)).toBe(k.orphanedFiles);
    expect(k.orphanedAreas.flatMap((a) => a.paths)).toHaveLength(k.orphanedFiles);
    expect(k.directories.reduce((n, d) => n + d.orphanedFiles, 0)).toBe(k.orphanedFiles);
    expect(await orphanedInTables(1)).toBe(k.orphanedFiles);
    const list = (await (await app.request('/api/knowledge')).json()) as { repos: { repo: string; orphanedFiles: number; orphanedDirectories: number }[] };
    expect(list.repos.find((r) => r.repo === 'acme/engine')).toMatchObject({ orphanedFiles: k.orphanedFiles, orphanedDirectories: k.directories.filter((d) => d.orphaned).length });
  });

  it('an area lists only its orphaned files: one in a directory still worked on, none that only a bot wrote', async () => {
    const k = await detail();
    expect(k.orphanedAreas).toEqual([
      { directory: 'api', files: 1, authors: ['Olga'], paths: ['api/old.ts'] },
      { directory: 'core', files: 3, authors: ['Olga'], paths: ['core/a.ts', 'core/b.ts', 'core/c.ts'] },
      { directory: 'legacy', files: 1, authors: ['Olga'], paths: ['legacy/x.ts'] },
    ]);
  });

  it('a directory is orphaned only when every file in it is, as stored and as shown', async () => {
    const k = await detail();
    const shown = k.directories.map((d) => [d.directory, d.files, d.orphanedFiles, d.orphaned]);
    expect(shown).toEqual([
      ['api', 2, 1, false],
      ['core', 5, 3, false],
      ['legacy', 1, 1, true],
    ]);
    const stored = await t.db.selectFrom('knowledge_directories').select(['directory', 'is_orphaned']).where('repo_id', '=', 1).orderBy('directory').execute();
    expect(stored.map((d) => [d.directory, d.is_orphaned === 1])).toEqual(shown.map(([dir, , , orphaned]) => [dir, orphaned]));
  });

  it('a directory whose only author left is known by its active reviewer alone, not by two people', async () => {
    const legacy = (await detail()).directories.find((d) => d.directory === 'legacy');
    expect(legacy).toMatchObject({ knowers: 1 });
  });
});
