// BENCH-ONLY LOADER. Writes a generated SimOrg straight into the domain tables so the signals
// benchmark can run at large scale without waiting for a full sync. It is NOT the product's
// sync and no test uses it: tests go through the real sync pipeline (tests/signals.truth.test.ts).
import type SQLite from 'better-sqlite3';
import type { SimOrg, SimPull } from '../simulator/model.ts';

/** `requestsFrom`: only review requests at or after this instant (re-loading a later snapshot). */
export function loadSimOrgForBench(sqlite: SQLite.Database, org: SimOrg, pulls: readonly SimPull[] = org.pulls, requestsFrom = ''): void {
  const ids = new Map<string, number>();
  let ghostId = 0;
  const insPerson = sqlite.prepare('insert or ignore into people (id, github_id, login, name, is_bot, is_ghost) values (?, ?, ?, ?, ?, ?)');
  const tx = sqlite.transaction(() => {
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
      'insert or replace into pull_requests (id, repo_id, number, title, author_id, state, is_draft, created_at, updated_at, ready_at, merged_at, closed_at, additions, deletions, changed_files) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insReq = sqlite.prepare('insert into review_requests (pull_request_id, reviewer_id, team_id, requested_at) values (?, ?, ?, ?)');
    const insReview = sqlite.prepare('insert or replace into reviews (id, pull_request_id, reviewer_id, state, submitted_at, body_length, comment_count) values (?, ?, ?, ?, ?, ?, ?)');
    const insRc = sqlite.prepare('insert or replace into review_comments (id, pull_request_id, review_id, author_id, path, body_length, created_at) values (?, ?, ?, ?, ?, ?, ?)');
    const insIc = sqlite.prepare('insert or replace into issue_comments (id, pull_request_id, author_id, body_length, created_at) values (?, ?, ?, ?, ?)');
    for (const p of pulls) {
      const state = p.mergedAt ? 'merged' : p.closedAt ? 'closed' : 'open';
      insPr.run(p.id, repoIds.get(p.repo), p.number, p.title, person(p.author), state, p.isDraft ? 1 : 0, p.createdAt, p.updatedAt, p.readyAt, p.mergedAt, p.closedAt, p.additions, p.deletions, p.changedFiles);
      for (const rq of p.reviewRequests) if (rq.requestedAt >= requestsFrom) insReq.run(p.id, rq.reviewer ? person(rq.reviewer) : null, rq.team ? (teamIds.get(rq.team) ?? null) : null, rq.requestedAt);
      const inline = new Map<number, number>();
      for (const c of p.reviewComments) inline.set(c.reviewId, (inline.get(c.reviewId) ?? 0) + 1);
      for (const r of p.reviews) insReview.run(r.id, p.id, person(r.author), r.state, r.submittedAt, r.body.length, inline.get(r.id) ?? 0);
      for (const c of p.reviewComments) insRc.run(c.id, p.id, c.reviewId, person(c.author), c.path, c.body.length, c.createdAt);
      for (const c of p.issueComments) insIc.run(c.id, p.id, person(c.author), c.body.length, c.createdAt);
    }
  });
  tx();
}
