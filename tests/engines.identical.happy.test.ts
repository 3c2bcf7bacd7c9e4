import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { Db } from '../server/db/connect.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { guidepost } from './cli.fixture.ts';
import { syncInto } from './consistency.fixture.ts';
import { createTestDb, dbArgsOf, type TestDb } from './harness.ts';
import { withPostgres, type TestPostgres } from './postgres.fixture.ts';
import { decodeWeek, packRows } from '../server/signals/packs.ts';

// Issue 16: the same seeded org synced into SQLite and into PostgreSQL gives byte-identical
// `guidepost report --json`, and equal tables by row count and content hash. Both databases are
// filled by the real sync, git/knowledge and derive stages from one simulator, one job at a time
// (so rows get their ids in the same order), whichever engine the rest of the suite runs on.

const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-05-25T00:00:00Z';

let server: TestPostgres;
let sim: RunningSimulator;
let lite: TestDb;
let post: TestDb;
let dropPost: () => Promise<void>;

beforeAll(async () => {
  server = await withPostgres();
  const target = await server.createDatabase();
  dropPost = target.drop;
  sim = await startSimulator({ seed: 3, scale: 'tiny', git: true });
  lite = await createTestDb({}, { engine: 'sqlite' });
  post = await createTestDb({}, { databaseUrl: target.url });
  await syncInto(lite, sim, { git: true, concurrency: 1 });
  await syncInto(post, sim, { git: true, concurrency: 1 });
}, 240_000);

afterAll(async () => {
  await lite?.close();
  await post?.close();
  await dropPost?.();
  await sim?.close();
  await server?.stop();
});

/**
 * Columns that say when or in which run a row was written, not what the org holds: they differ
 * between any two syncs, on one engine too. `fetched_at`-like times and the derive's run id.
 */
const WHEN_WRITTEN: Record<string, string[]> = {
  raw_responses: ['id', 'fetched_at'],
  sync_state: ['updated_at'],
  knowledge_repos: ['computed_at', 'clone_path'],
  knowledge_heads: ['computed_at', 'updated_at'],
  knowledge_codeowners: ['updated_at'],
  // Which jobs run side by side is the runner's (2 at a time here) on either engine, so two runs
  // differ in the order rows arrive: in a request's own row id, and in the page a person was last
  // seen on. Who asked whom, and who each person is, still count.
  review_requests: ['id'],
  people: ['raw_id'],
};

/** The raw row a domain row came from, named by what was fetched (ids are the engine's). */
async function rawNames(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('raw_responses').select(['id', 'source', 'kind', 'scope', 'request']).execute();
  return new Map(rows.map((r) => [Number(r.id), `${r.source} ${r.kind} ${r.scope} ${r.request ?? ''}`]));
}

/** Every table of the schema as sorted lines of text, one per row, in a form both engines give alike. */
async function tableContents(db: Db): Promise<Map<string, string[]>> {
  const raws = await rawNames(db);
  const out = new Map<string, string[]>();
  for (const { name } of await db.introspection.getTables()) {
    const rows = (await sql.raw<Record<string, unknown>>(`select * from ${name}`).execute(db)).rows.map((r) => (name === 'signal_week_packs' ? packFacts(r) : r));
    const skip = new Set(['rowid', ...(WHEN_WRITTEN[name] ?? [])]);
    out.set(
      name,
      rows
        .map((r) => {
          const cols = Object.keys(r).filter((k) => !skip.has(k)).sort();
          return JSON.stringify(cols.map((k) => [k, normalise(name, k, r[k], raws)]));
        })
        .sort(),
    );
  }
  return out;
}

/**
 * A week pack as the facts it holds, in any order: a week's facts arrive in the order its
 * repositories' derives ran, which the concurrent jobs decide.
 */
function packFacts(r: Record<string, unknown>): Record<string, unknown> {
  const week = { week: String(r.week), prs: Number(r.prs), reviews: Number(r.reviews), pr_pack: Buffer.from(r.pr_pack as Uint8Array), review_pack: Buffer.from(r.review_pack as Uint8Array) };
  const facts = packRows(decodeWeek(week));
  return {
    week: week.week,
    prs: facts.prs.map((f, i) => JSON.stringify({ ...f, home: facts.homes[i] })).sort(),
    reviews: facts.reviews.map((f) => JSON.stringify(f)).sort(),
  };
}

function normalise(table: string, column: string, v: unknown, raws: Map<number, string>): unknown {
  if (column === 'raw_id' && v !== null) return raws.get(Number(v)) ?? `missing raw ${String(v)}`;
  if (table === 'raw_responses' && column === 'body') {
    // The simulator's rate-limit answer counts down across both syncs; the rest is the org.
    const body = JSON.parse(gunzipSync(Buffer.from(v as Uint8Array)).toString('utf8')) as { data?: { rateLimit?: unknown } };
    if (body.data) delete body.data.rateLimit;
    return body;
  }
  if (table === 'sync_state' && column === 'progress' && typeof v === 'string') {
    const p = JSON.parse(v) as { startedAt?: string };
    delete p.startedAt;
    return p;
  }
  if (table === 'signal_state' && typeof v === 'string' && v.startsWith('{')) {
    const state = JSON.parse(v) as { run?: string };
    delete state.run;
    return state;
  }
  if (v instanceof Uint8Array) return `bytes ${createHash('sha256').update(v).digest('hex')}`;
  if (typeof v === 'bigint') return Number(v);
  return v;
}

const hashOf = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');

describe('one org synced into SQLite and into PostgreSQL', () => {
  it('prints byte-identical report --json, with a team filter and a repo filter too', async () => {
    const repo = (await lite.db.selectFrom('repos').select('full_name').orderBy('full_name').executeTakeFirstOrThrow()).full_name;
    const team = (await lite.db.selectFrom('teams').select('slug').orderBy('slug').executeTakeFirstOrThrow()).slug;
    for (const flags of [[], ['--team', team], ['--repo', repo]]) {
      const a = await guidepost(['report', ...dbArgsOf(lite.config), '--data-dir', lite.dir, '--from', FROM, '--to', TO, ...flags, '--json']);
      const b = await guidepost(['report', ...dbArgsOf(post.config), '--data-dir', post.dir, '--from', FROM, '--to', TO, ...flags, '--json']);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(a.stdout.length, 'a report with figures in it').toBeGreaterThan(2000);
      expect(JSON.parse(a.stdout).totals?.prs ?? JSON.parse(a.stdout).reviews?.prs, 'PRs in the window').toBeGreaterThan(0);
      // Byte for byte: the same figures, in the same order, with the same rounding.
      expect(b.stdout === a.stdout, `report --json ${flags.join(' ') || 'with no filter'} differs between the engines`).toBe(true);
    }
  }, 120_000);

  it('has equal tables, by row count and by content hash', async () => {
    const a = await tableContents(lite.db);
    const b = await tableContents(post.db);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const filled = [...a.entries()].filter(([, rows]) => rows.length > 0).map(([t]) => t);
    // What the sync, knowledge and derive stages write is here, not an empty schema.
    for (const t of ['pull_requests', 'reviews', 'people', 'raw_responses', 'signal_week_packs', 'signal_pr_facts', 'knowledge_file_authors']) expect(filled, t).toContain(t);
    const differ = [];
    for (const [table, rows] of a) {
      const other = b.get(table)!;
      if (other.length === rows.length && hashOf(other) === hashOf(rows)) continue;
      differ.push({ table, rows: `${rows.length} on SQLite, ${other.length} on PostgreSQL`, onlyOnSqlite: rows.filter((r) => !other.includes(r)).slice(0, 2), onlyOnPostgres: other.filter((r) => !rows.includes(r)).slice(0, 2) });
    }
    expect(differ).toEqual([]);
  }, 60_000);
});
