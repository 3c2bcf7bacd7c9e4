// BENCH-ONLY LOADER. Writes a generated SimOrg straight into the domain tables so the signals
// benchmark can run at large scale without waiting for a full sync. It is NOT the product's
// sync and no test uses it: tests go through the real sync pipeline (tests/signals.truth.test.ts).
// It mimics what the sync leaves behind, as far as the derive stage can tell: each loaded PR is
// replaced whole (its reviews, comments and requests deleted and written again) and every row
// carries the id of a raw_responses row, so deriveAfterSync finds new data by raw id.
import type SQLite from 'better-sqlite3';
import type { SimOrg, SimPull } from '../simulator/model.ts';

/** Loads `pulls` (all of them by default) as one sync would; returns the raw response id used. */
export function loadSimOrgForBench(sqlite: SQLite.Database, org: SimOrg, pulls: readonly SimPull[] = org.pulls): number {
  const ids = new Map<string, number>();
  let ghostId = 0;
  let rawId = 0;
  const insPerson = sqlite.prepare('insert or ignore into people (id, github_id, login, name, is_bot, is_ghost) values (?, ?, ?, ?, ?, ?)');
  const tx = sqlite.transaction(() => {
    rawId = Number(
      sqlite
        .prepare("insert into raw_responses (source, kind, scope, url, status, body, fetched_at) values ('graphql', 'bench_load', ?, 'bench:', 200, '', ?)")
        .run(`org:${org.org.login}`, new Date().toISOString()).lastInsertRowid,
    );
    for (const p of org.people) {
      if (p.deleted) continue;
      insPerson.run(p.id, p.id, p.login, p.name, p.type === 'Bot' || p.login.endsWith('[bot]') ? 1 : 0, 0);
      ids.set(p.login, p.id);
    }
    ghostId = 10_000_000;
    insPerson.run(ghostId, null, 'ghost', null, 0, 1);
    for (const p of org.people) if (p.deleted) ids.set(p.login, ghostId);
    const insRepo = sqlite.prepare('insert or ignore into repos (id, owner, name, full_name, default_branch, created_at) values (?, ?, ?, ?, ?, ?)');
    const repoIds = new Map<string, number>();
    for (const r of org.repos) {
      insRepo.run(r.id, org.org.login, r.name, `${org.org.login}/${r.name}`, r.defaultBranch, r.createdAt);
      repoIds.set(r.name, r.id);
    }
    const insTeam = sqlite.prepare("insert or ignore into teams (id, github_id, slug, name, source) values (?, ?, ?, ?, 'github')");
    const insMember = sqlite.prepare('insert or ignore into team_members (team_id, person_id) values (?, ?)');
    const teamIds = new Map<string, number>();
    for (const t of org.teams) {
      insTeam.run(t.id, t.id, t.slug, t.name);
      teamIds.set(t.slug, t.id);
      for (const m of t.members) if (ids.has(m)) insMember.run(t.id, ids.get(m));
    }
    const person = (login: string | null) => (login === null ? ghostId : (ids.get(login) ?? ghostId));
    const insPr = sqlite.prepare(
      'insert or replace into pull_requests (id, repo_id, number, title, author_id, state, is_draft, created_at, updated_at, ready_at, merged_at, closed_at, additions, deletions, changed_files, raw_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const dels = ['review_requests', 'reviews', 'review_comments', 'issue_comments'].map((t) => sqlite.prepare(`delete from ${t} where pull_request_id = ?`));
    const insReq = sqlite.prepare('insert into review_requests (pull_request_id, reviewer_id, team_id, requested_at, raw_id) values (?, ?, ?, ?, ?)');
    const insReview = sqlite.prepare('insert or replace into reviews (id, pull_request_id, reviewer_id, state, submitted_at, body_length, comment_count, raw_id) values (?, ?, ?, ?, ?, ?, ?, ?)');
    const insRc = sqlite.prepare('insert or replace into review_comments (id, pull_request_id, review_id, author_id, path, body_length, created_at, raw_id) values (?, ?, ?, ?, ?, ?, ?, ?)');
    const insIc = sqlite.prepare('insert or replace into issue_comments (id, pull_request_id, author_id, body_length, created_at, raw_id) values (?, ?, ?, ?, ?, ?)');
    for (const p of pulls) {
      const state = p.mergedAt ? 'merged' : p.closedAt ? 'closed' : 'open';
      insPr.run(p.id, repoIds.get(p.repo), p.number, p.title, person(p.author), state, p.isDraft ? 1 : 0, p.createdAt, p.updatedAt, p.readyAt, p.mergedAt, p.closedAt, p.additions, p.deletions, p.changedFiles, rawId);
      for (const d of dels) d.run(p.id);
      for (const rq of p.reviewRequests) insReq.run(p.id, rq.reviewer ? person(rq.reviewer) : null, rq.team ? (teamIds.get(rq.team) ?? null) : null, rq.requestedAt, rawId);
      const inline = new Map<number, number>();
      for (const c of p.reviewComments) inline.set(c.reviewId, (inline.get(c.reviewId) ?? 0) + 1);
      for (const r of p.reviews) insReview.run(r.id, p.id, person(r.author), r.state, r.submittedAt, r.body.length, inline.get(r.id) ?? 0, rawId);
      for (const c of p.reviewComments) insRc.run(c.id, p.id, c.reviewId, person(c.author), c.path, c.body.length, c.createdAt, rawId);
      for (const c of p.issueComments) insIc.run(c.id, p.id, person(c.author), c.body.length, c.createdAt, rawId);
    }
  });
  tx();
  return rawId;
}
