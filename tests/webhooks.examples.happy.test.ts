import { afterEach, describe, expect, it } from 'vitest';
import { reextractAll } from '../jobs/github/extract.ts';
import { createLogger } from '../server/logger.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { domainSnapshot } from './sync.fixture.ts';
import { examplesOf, SECRET, signed } from './webhooks.fixture.ts';

// GitHub's published example payloads (@octokit/webhooks-examples) are the truth for shapes:
// every example of every event Guidepost takes goes through the receiver into a real database,
// and the rows a user would see are checked against the example itself. The examples are not
// one consistent org (one repository id under two owners, two PR ids for #2), so each runs on
// a database of its own, seeded with the repositories they name.

const REPOS = [
  { id: 186853002, owner: 'Codertocat', name: 'Hello-World' },
  { id: 186853003, owner: 'Octocoders', name: 'Hello-World' },
];

let t: TestDb | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function freshApp() {
  t = await createTestDb({ GUIDEPOST_WEBHOOK_SECRET: SECRET });
  for (const r of REPOS) await t.db.insertInto('repos').values({ ...r, full_name: `${r.owner}/${r.name}` }).execute();
  const app = createTestApp(t);
  const send = async (event: string, payload: unknown) => {
    const d = await signed(event, payload);
    const res = await app.request('http://127.0.0.1/api/webhooks/github', { method: 'POST', headers: d.headers, body: d.body });
    return { status: res.status, body: (await res.json()) as { status?: string; reason?: string; error?: { code: string; message: string } } };
  };
  return { db: t.db, send };
}

async function pullOf(db: TestDb['db'], id: number) {
  return db.selectFrom('pull_requests as p').innerJoin('people as a', 'a.id', 'p.author_id').innerJoin('repos as r', 'r.id', 'p.repo_id').select(['p.title', 'p.state', 'p.is_draft', 'p.number', 'a.login', 'r.full_name', 'p.merged_at', 'p.additions']).where('p.id', '=', id).executeTakeFirst();
}

const stateOf = (pr: { state: string; merged_at: string | null }) => (pr.merged_at ? 'merged' : pr.state);

describe('every GitHub example of the events Guidepost takes', () => {
  it.each(examplesOf('pull_request').map((p, i) => [`${i} ${p.action}`, p] as const))('pull_request %s: the PR with its title, author and state', async (_name, p) => {
    const { db, send } = await freshApp();
    expect(await send('pull_request', p)).toEqual({ status: 200, body: { status: 'applied', delivery: expect.any(String) } });
    expect(await pullOf(db, p.pull_request.id)).toEqual({
      title: p.pull_request.title,
      state: stateOf(p.pull_request),
      is_draft: p.pull_request.draft ? 1 : 0,
      number: p.pull_request.number,
      login: p.pull_request.user.login,
      full_name: p.repository.full_name,
      merged_at: p.pull_request.merged_at,
      additions: p.pull_request.additions,
    });
    const requests = await db.selectFrom('review_requests as q').leftJoin('people as r', 'r.id', 'q.reviewer_id').select('r.login').execute();
    expect(requests.map((q) => q.login)).toEqual(p.action === 'review_requested' ? [p.requested_reviewer.login] : []);
    // Only PR rows: a pull_request event carries no reviews or comments.
    expect(await db.selectFrom('reviews').selectAll().execute()).toEqual([]);
  });

  it('pull_request closed as a merge (GitHub’s examples have none): merged, by whom, with its merge commit; ready_for_review sets ready_at', async () => {
    const { db, send } = await freshApp();
    const [opened, ready, closed] = ['opened', 'ready_for_review', 'closed'].map((a) => examplesOf('pull_request').find((e) => e.action === a && e.repository.full_name === 'Codertocat/Hello-World')!);
    // REST names a test merge commit on an open PR; the sync (GraphQL mergeCommit) does not.
    await send('pull_request', { ...opened, pull_request: { ...opened!.pull_request, merge_commit_sha: 'e5bd3914e2e596debea16f433f57875b5b90bcd6' } });
    const row = () => db.selectFrom('pull_requests as p').leftJoin('people as m', 'm.id', 'p.merged_by_id').select(['p.state', 'p.merge_commit_sha', 'p.ready_at', 'p.merged_at', 'm.login']).where('p.id', '=', opened!.pull_request.id).executeTakeFirstOrThrow();
    expect(await row()).toEqual({ state: 'open', merge_commit_sha: null, ready_at: null, merged_at: null, login: null });
    await send('pull_request', ready);
    expect((await row()).ready_at).toBe(ready!.pull_request.updated_at);
    const merger = { ...closed!.sender, login: 'merger', id: 4_242 };
    await send('pull_request', { ...closed, pull_request: { ...closed!.pull_request, merged: true, merged_at: closed!.pull_request.closed_at, merged_by: merger, merge_commit_sha: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85' } });
    expect(await row()).toEqual({ state: 'merged', merge_commit_sha: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85', ready_at: ready!.pull_request.updated_at, merged_at: closed!.pull_request.closed_at, login: 'merger' });
  });

  it.each(examplesOf('pull_request_review').map((p, i) => [`${i} ${p.action}`, p] as const))('pull_request_review %s: the review with its state and reviewer', async (_name, p) => {
    const { db, send } = await freshApp();
    expect((await send('pull_request_review', p)).body.status).toBe('applied');
    const review = await db.selectFrom('reviews as v').innerJoin('people as r', 'r.id', 'v.reviewer_id').select(['v.state', 'r.login', 'v.pull_request_id', 'v.submitted_at']).where('v.id', '=', p.review.id).executeTakeFirstOrThrow();
    expect(review).toEqual({ state: p.review.state.toUpperCase(), login: p.review.user.login, pull_request_id: p.pull_request.id, submitted_at: p.review.submitted_at });
    expect((await pullOf(db, p.pull_request.id))?.title).toBe(p.pull_request.title);
  });

  it.each(examplesOf('pull_request_review_comment').map((p, i) => [`${i} ${p.action}`, p] as const))('pull_request_review_comment %s: the inline comment with its author and path', async (_name, p) => {
    const { db, send } = await freshApp();
    expect((await send('pull_request_review_comment', p)).body.status).toBe('applied');
    const comments = await db.selectFrom('review_comments as c').innerJoin('people as a', 'a.id', 'c.author_id').select(['c.id', 'a.login', 'c.path', 'c.pull_request_id', 'c.review_id']).execute();
    expect(comments).toEqual(p.action === 'deleted' ? [] : [{ id: p.comment.id, login: p.comment.user.login, path: p.comment.path, pull_request_id: p.pull_request.id, review_id: p.comment.pull_request_review_id }]);
  });

  it.each(examplesOf('issue_comment').map((p, i) => [`${i} ${p.action}`, p] as const))('issue_comment %s: on an issue, recorded as ignored; on a PR, the comment', async (_name, p) => {
    const { db, send } = await freshApp();
    expect(p.issue.pull_request).toBeUndefined(); // GitHub's examples are all on issues
    const ignored = await send('issue_comment', p);
    expect(ignored).toMatchObject({ status: 202, body: { status: 'ignored', reason: expect.stringMatching(/issue, not a pull request/) } });
    expect(await db.selectFrom('raw_responses').selectAll().execute()).toEqual([]);

    // The same comment on a pull request the sync stored: GitHub adds issue.pull_request.
    const opened = examplesOf('pull_request').find((e) => e.action === 'opened' && e.repository.full_name === p.repository.full_name)!;
    expect((await send('pull_request', opened)).body.status).toBe('applied');
    const onPr = { ...p, issue: { ...p.issue, number: opened.number, pull_request: { url: opened.pull_request.url } } };
    expect((await send('issue_comment', onPr)).body.status).toBe('applied');
    const comments = await db.selectFrom('issue_comments as c').innerJoin('people as a', 'a.id', 'c.author_id').select(['c.id', 'a.login', 'c.pull_request_id', 'c.created_at']).execute();
    expect(comments).toEqual(p.action === 'deleted' ? [] : [{ id: p.comment.id, login: p.comment.user.login, pull_request_id: opened.pull_request.id, created_at: p.comment.created_at }]);
  });

  it.each(examplesOf('membership').map((p, i) => [`${i} ${p.action}`, p] as const))('membership %s: the member in the team, or not', async (_name, p) => {
    const { db, send } = await freshApp();
    // A removal is seen against a member the sync had listed.
    const team = { ...p.team, slug: p.team.slug ?? 'github', name: p.team.name ?? 'github' };
    await send('membership', { ...p, action: 'added', team });
    expect(await members(db)).toEqual([{ slug: team.slug, login: p.member.login, org: p.organization.login }]);
    const res = await send('membership', { ...p, team });
    expect(res.body.status).toBe('applied');
    expect(await members(db)).toEqual(p.action === 'removed' ? [] : [{ slug: team.slug, login: p.member.login, org: p.organization.login }]);
    // The example as GitHub printed it, slug or not: applied, or refused in words, never a 500.
    const asIs = await send('membership', p);
    if (p.team.slug) expect(asIs.body.status).toBe('applied');
    else expect(asIs).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: expect.stringMatching(/GitHub's shape: no team slug/) } } });
  });

  it.each(examplesOf('team').map((p, i) => [`${i} ${p.action}`, p] as const))('team %s: the team of the org', async (_name, p) => {
    const { db, send } = await freshApp();
    expect((await send('team', p)).body.status).toBe('applied');
    const teams = await db.selectFrom('teams').select(['org', 'slug', 'name', 'github_id']).execute();
    expect(teams).toEqual(p.action === 'deleted' ? [] : [{ org: p.organization.login, slug: p.team.slug, name: p.team.name, github_id: p.team.id }]);
  });

  it.each([...examplesOf('push'), ...examplesOf('ping')].map((p, i) => [`${i} ${p.zen ? 'ping' : 'push'}`, p] as const))('%s: answered, no pull request rows', async (_name, p) => {
    const { db, send } = await freshApp();
    const event = p.zen ? 'ping' : 'push';
    expect((await send(event, p)).body.status).toBe('applied');
    const raws = await db.selectFrom('raw_responses').select('kind').execute();
    expect(raws).toEqual(event === 'push' ? [{ kind: 'webhook_push' }] : []);
    expect(await db.selectFrom('pull_requests').selectAll().execute()).toEqual([]);
  });
});

async function members(db: TestDb['db']) {
  return db.selectFrom('team_members as m').innerJoin('teams as t', 't.id', 'm.team_id').innerJoin('people as p', 'p.id', 'm.person_id').select(['t.slug', 'p.login', 't.org']).execute();
}

describe('deliveries replay through re-extraction', () => {
  it('rebuilds from raw_responses alone the rows the deliveries wrote: PR, review, inline comment, conversation comment, team member', async () => {
    const { db, send } = await freshApp();
    const opened = examplesOf('pull_request').find((e) => e.action === 'opened' && e.repository.full_name === 'Codertocat/Hello-World')!;
    const review = examplesOf('pull_request_review')[0]!;
    const comment = examplesOf('pull_request_review_comment').find((e) => e.action === 'created')!;
    const talk = examplesOf('issue_comment').find((e) => e.action === 'created' && e.repository.full_name === 'Codertocat/Hello-World')!;
    const member = examplesOf('membership').find((e) => e.action === 'added')!;
    for (const [event, p] of [
      ['pull_request', opened],
      ['pull_request_review', review],
      ['pull_request_review_comment', comment],
      ['issue_comment', { ...talk, issue: { ...talk.issue, number: opened.number, pull_request: { url: opened.pull_request.url } } }],
      ['membership', member],
    ] as const) {
      expect((await send(event, p)).body.status, event).toBe('applied');
    }
    const before = await domainSnapshot(db);
    for (const table of ['reviews', 'review_comments', 'issue_comments', 'team_members'] as const) expect(before[table].length, table).toBe(1);
    // The review's inline comment is counted on it, as the sync counts them.
    expect((await db.selectFrom('reviews').select('comment_count').executeTakeFirstOrThrow()).comment_count).toBe(1);
    const replay = await reextractAll(db, createLogger('silent'));
    expect(replay.failures).toBe(0);
    expect(await domainSnapshot(db)).toEqual(before);
  });
});
