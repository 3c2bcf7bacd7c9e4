// Shared by the sync tests: run a sync in-process, count what the simulator serves, and take a
// content snapshot of the domain tables that ignores row ids (people ids differ between runs).
import { sql } from 'kysely';
import type { Db } from '../server/db/connect.ts';
import { createLogger } from '../server/logger.ts';
import type { SimOrg } from '../simulator/model.ts';
import { createGithubClient, type GithubClient } from '../jobs/github/client.ts';
import { syncNow } from '../jobs/github/sync-now.ts';

export const SINCE = '2000-01-01T00:00:00.000Z';

export async function syncInProcess(db: Db, sim: { url: string; token: string; org: SimOrg }, o: { since?: string; retryBaseMs?: number; concurrency?: number } = {}): Promise<{ gh: GithubClient; failed: unknown[] }> {
  const logger = createLogger('silent');
  const gh = createGithubClient({ baseUrl: sim.url, auth: { kind: 'token', token: sim.token }, logger, concurrency: o.concurrency ?? 4, retryBaseMs: o.retryBaseMs ?? 20 });
  const failed = await syncNow(db, logger, { clientFor: async () => gh, dataDir: '/nonexistent', backfillDays: 365, onRepoSynced: [], knowledge: false }, { org: sim.org.org.login, since: o.since ?? SINCE, backoffBaseMs: 50 });
  return { gh, failed };
}

/** What a faithful sync must store, counted from the simulated org itself. */
export function expectedCounts(org: SimOrg) {
  const sum = (f: (p: SimOrg['pulls'][number]) => number) => org.pulls.reduce((a, p) => a + f(p), 0);
  const byLogin = new Map(org.people.map((p) => [p.login, p]));
  const logins = new Set<string>();
  const add = (login: string | null) => {
    const p = login === null ? undefined : byLogin.get(login);
    logins.add(!p || p.deleted ? 'ghost' : p.login);
  };
  for (const p of org.people) if (p.isMember && !p.deleted) add(p.login);
  for (const t of org.teams) t.members.forEach(add);
  for (const pr of org.pulls) {
    add(pr.author);
    if (pr.mergedAt) add(pr.mergedBy);
    pr.reviews.forEach((r) => add(r.author));
    pr.reviewComments.forEach((c) => add(c.author));
    pr.issueComments.forEach((c) => add(c.author));
    pr.reviewRequests.forEach((r) => r.reviewer !== null && add(r.reviewer));
  }
  return {
    repos: org.repos.length,
    people: logins.size,
    teams: org.teams.length,
    team_members: org.teams.reduce((a, t) => a + t.members.length, 0),
    pull_requests: org.pulls.length,
    review_requests: sum((p) => p.reviewRequests.length),
    reviews: sum((p) => p.reviews.length),
    review_comments: sum((p) => p.reviewComments.length),
    issue_comments: sum((p) => p.issueComments.length),
  };
}

export async function domainCounts(db: Db) {
  const out: Record<string, number> = {};
  for (const t of ['repos', 'people', 'teams', 'team_members', 'pull_requests', 'review_requests', 'reviews', 'review_comments', 'issue_comments'] as const) {
    const r = await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** Every domain row as text, with people and teams named instead of numbered; sorted. */
export type DomainSnapshot = Record<'repos' | 'people' | 'teams' | 'team_members' | 'pull_requests' | 'review_requests' | 'reviews' | 'review_comments' | 'issue_comments', string[]>;

export async function domainSnapshot(db: Db): Promise<DomainSnapshot> {
  const q = async (text: string) => ((await sql.raw<Record<string, unknown>>(text).execute(db)).rows.map((r) => JSON.stringify(r)).sort());
  const who = (col: string) => `(SELECT login FROM people WHERE id = ${col})`;
  return {
    // clone_url names the server (the port differs between two simulators); the rest must match.
    repos: await q('SELECT id, owner, name, full_name, is_private, is_archived, default_branch, created_at, pushed_at FROM repos'),
    people: await q('SELECT github_id, login, name, is_bot, is_ghost, first_seen_at, last_seen_at FROM people'),
    teams: await q('SELECT github_id, slug, name, source FROM teams'),
    team_members: await q(`SELECT (SELECT slug FROM teams WHERE id = team_id) t, ${who('person_id')} p FROM team_members`),
    pull_requests: await q(`SELECT id, repo_id, number, title, head_ref, ${who('author_id')} a, state, is_draft, created_at, updated_at, ready_at, merged_at, closed_at, ${who('merged_by_id')} m, merge_commit_sha, additions, deletions, changed_files FROM pull_requests`),
    review_requests: await q(`SELECT pull_request_id, ${who('reviewer_id')} r, (SELECT slug FROM teams WHERE id = team_id) t, requested_at FROM review_requests`),
    reviews: await q(`SELECT id, pull_request_id, ${who('reviewer_id')} r, state, submitted_at, body_length, comment_count FROM reviews`),
    review_comments: await q(`SELECT id, pull_request_id, review_id, ${who('author_id')} a, path, body_length, created_at FROM review_comments`),
    issue_comments: await q(`SELECT id, pull_request_id, ${who('author_id')} a, body_length, created_at FROM issue_comments`),
  };
}

/** Compares two snapshots table by table, so a failure names the table and the rows that differ. */
export function snapshotDiff(got: DomainSnapshot, want: DomainSnapshot) {
  return (Object.keys(want) as (keyof DomainSnapshot)[])
    .map((table) => ({ table, missing: want[table].filter((r) => !got[table].includes(r)).slice(0, 3), extra: got[table].filter((r) => !want[table].includes(r)).slice(0, 3) }))
    .filter((d) => d.missing.length > 0 || d.extra.length > 0);
}
