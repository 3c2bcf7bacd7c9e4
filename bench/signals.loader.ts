// BENCH-ONLY LOADER. Writes a generated SimOrg straight into the domain tables so the signals
// benchmark can run at large scale without waiting for a full sync. It is NOT the product's
// sync and no test uses it: tests go through the real sync pipeline (tests/signals.truth.test.ts).
// It mimics what the sync leaves behind, as far as the derive stage can tell: each loaded PR is
// replaced whole (its reviews, comments and requests deleted and written again) and every row
// carries the id of a raw_responses row, so deriveAfterSync finds new data by raw id.
// It writes through Kysely and the product's bulk insert (server/db/bulk.ts: rows in one JSON
// parameter per chunk), so the same code loads SQLite and PostgreSQL, within either's parameter
// limits. Ids are the generator's; nothing the bench runs afterwards inserts into these tables
// without an id, so PostgreSQL's identities need not be moved past them.
import type { Db } from '../server/db/connect.ts';
import { chunk, inList, insertRows } from '../server/db/bulk.ts';
import type { SimOrg, SimPull } from '../simulator/model.ts';

const GHOST_ID = 10_000_000;

/** Loads `pulls` (all of them by default) as one sync would; returns the raw response id used. */
export async function loadSimOrgForBench(db: Db, org: SimOrg, pulls: readonly SimPull[] = org.pulls): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const raw = await tx
      .insertInto('raw_responses')
      .values({ source: 'graphql', kind: 'bench_load', scope: `org:${org.org.login}`, url: 'bench:', request: null, status: 200, etag: null, body: '', fetched_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rawId = Number(raw.id);
    const ids = new Map<string, number>();
    const people = [];
    for (const p of org.people) {
      if (p.deleted) continue;
      people.push({ id: p.id, github_id: p.id, login: p.login, name: p.name, is_bot: p.type === 'Bot' || p.login.endsWith('[bot]') ? 1 : 0, is_ghost: 0 });
      ids.set(p.login, p.id);
    }
    people.push({ id: GHOST_ID, github_id: null, login: 'ghost', name: null, is_bot: 0, is_ghost: 1 });
    for (const p of org.people) if (p.deleted) ids.set(p.login, GHOST_ID);
    await insertRows(tx, 'people', people, { upsertOn: 'id' });
    const repoIds = new Map(org.repos.map((r) => [r.name, r.id]));
    await insertRows(tx, 'repos', org.repos.map((r) => ({ id: r.id, owner: org.org.login, name: r.name, full_name: `${org.org.login}/${r.name}`, default_branch: r.defaultBranch, created_at: r.createdAt })), { upsertOn: 'id' });
    const teamIds = new Map(org.teams.map((t) => [t.slug, t.id]));
    await insertRows(tx, 'teams', org.teams.map((t) => ({ id: t.id, github_id: t.id, slug: t.slug, name: t.name, source: 'github' })), { upsertOn: 'id' });
    const members = org.teams.flatMap((t) => t.members.filter((m) => ids.has(m)).map((m) => ({ team_id: t.id, person_id: ids.get(m)! })));
    for (const part of chunk(members, 1000)) await tx.insertInto('team_members').values(part).onConflict((oc) => oc.columns(['team_id', 'person_id']).doNothing()).execute();

    const person = (login: string | null) => (login === null ? GHOST_ID : (ids.get(login) ?? GHOST_ID));
    await insertRows(
      tx,
      'pull_requests',
      pulls.map((p) => ({
        id: p.id, repo_id: repoIds.get(p.repo)!, number: p.number, title: p.title, author_id: person(p.author), state: p.mergedAt ? 'merged' : p.closedAt ? 'closed' : 'open', is_draft: p.isDraft ? 1 : 0,
        created_at: p.createdAt, updated_at: p.updatedAt, ready_at: p.readyAt, merged_at: p.mergedAt, closed_at: p.closedAt, additions: p.additions, deletions: p.deletions, changed_files: p.changedFiles, raw_id: rawId,
      })),
      { upsertOn: 'id' },
    );
    // Replaced whole, as the sync replaces a re-fetched PR's lists.
    const prIds = pulls.map((p) => p.id);
    for (const table of ['review_requests', 'reviews', 'review_comments', 'issue_comments'] as const) await tx.deleteFrom(table).where(inList(tx, 'pull_request_id', prIds)).execute();
    await insertRows(tx, 'review_requests', pulls.flatMap((p) => p.reviewRequests.map((rq) => ({ pull_request_id: p.id, reviewer_id: rq.reviewer ? person(rq.reviewer) : null, team_id: rq.team ? (teamIds.get(rq.team) ?? null) : null, requested_at: rq.requestedAt, raw_id: rawId }))));
    const reviews = pulls.flatMap((p) => {
      const inline = new Map<number, number>();
      for (const c of p.reviewComments) inline.set(c.reviewId, (inline.get(c.reviewId) ?? 0) + 1);
      return p.reviews.map((r) => ({ id: r.id, pull_request_id: p.id, reviewer_id: person(r.author), state: r.state, submitted_at: r.submittedAt, body_length: r.body.length, comment_count: inline.get(r.id) ?? 0, raw_id: rawId }));
    });
    await insertRows(tx, 'reviews', reviews, { upsertOn: 'id' });
    await insertRows(tx, 'review_comments', pulls.flatMap((p) => p.reviewComments.map((c) => ({ id: c.id, pull_request_id: p.id, review_id: c.reviewId, author_id: person(c.author), path: c.path, body_length: c.body.length, created_at: c.createdAt, raw_id: rawId }))), { upsertOn: 'id' });
    await insertRows(tx, 'issue_comments', pulls.flatMap((p) => p.issueComments.map((c) => ({ id: c.id, pull_request_id: p.id, author_id: person(c.author), body_length: c.body.length, created_at: c.createdAt, raw_id: rawId }))), { upsertOn: 'id' });
    return rawId;
  });
}
