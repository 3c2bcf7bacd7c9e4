import { verify } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../simulator/generate/index.ts';
import { indexOrg } from '../simulator/server/org-index.ts';
import type { SimState } from '../simulator/server/state.ts';
import { changesSince, markOrg } from '../simulator/server/webhooks-changes.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { examplesOf, shapeProblems, startReceiver, waitFor, type Receiver } from './simulator.webhooks.fixture.ts';

// The simulator signs and sends GitHub's webhook deliveries as its org evolves: headers and
// signature as GitHub's, shapes as GitHub's published examples, content exactly the evolve.
const SECRET = 'sim-webhook-secret-0123456789';
type Body = Record<string, any>;
type Ref = { repo: string; number: number };
const refKey = (r: Ref) => `${r.repo}#${r.number}`;

let sim: RunningSimulator;
let receiver: Receiver;
let summary: { newPulls: Ref[]; reviewedPulls: Ref[]; lateMerged: Ref[] };
const bodies = () => receiver.received.map((r) => ({ event: r.headers['x-github-event'] as string, body: JSON.parse(r.body) as Body }));

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startSimulator({ seed: 4, scale: 'tiny', git: false, webhook: { url: receiver.url, secret: SECRET } });
  await sim.webhooks.idle();
  const res = await fetch(`${sim.url}/_sim/evolve`, { method: 'POST', body: JSON.stringify({ newPulls: 6, newReviewsOnOldPulls: 4, lateMerges: 2 }) });
  expect(res.status).toBe(200);
  summary = (await res.json()) as typeof summary;
  await sim.webhooks.idle();
});

afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

describe('webhooks sent by the simulator', () => {
  it('pings the hook first, then signs every delivery with the secret as GitHub does', async () => {
    expect(receiver.received.length).toBeGreaterThan(1);
    const [ping, ...rest] = receiver.received;
    expect(ping!.headers['x-github-event']).toBe('ping');
    const hookId = (JSON.parse(ping!.body) as Body).hook_id;
    expect((JSON.parse(ping!.body) as Body).hook.config.url).toBe(receiver.url);
    expect(ping!.body).not.toContain(SECRET);
    for (const r of [ping!, ...rest]) {
      const sig = r.headers['x-hub-signature-256'] as string;
      expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(await verify(SECRET, r.body, sig)).toBe(true);
      expect(await verify(`${SECRET}-other`, r.body, sig)).toBe(false);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
      expect(r.headers['x-github-delivery']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(r.headers['x-github-hook-id']).toBe(String(hookId));
    }
    expect(new Set(receiver.received.map((r) => r.headers['x-github-delivery'])).size).toBe(receiver.received.length);
  });

  it('has every key of GitHub\'s example of the same event and action, with the same JSON types', () => {
    const seen = new Set<string>();
    for (const { event, body } of bodies()) {
      const action = (body.action as string | undefined) ?? null;
      const samples = examplesOf(event, action);
      expect(samples.length, `an example of ${event} ${action}`).toBeGreaterThan(0);
      expect(shapeProblems(body, samples), `${event} ${action}`).toEqual([]);
      seen.add(`${event} ${action}`);
    }
    expect([...seen].sort()).toEqual(
      ['ping null', 'pull_request closed', 'pull_request opened', 'pull_request review_requested', 'pull_request_review submitted', 'pull_request_review_comment created', 'push null'].sort(),
    );
  });

  it('describes exactly what the evolve changed, in the order it happened', () => {
    const events = bodies().slice(1);
    const refs = (event: string, action: string | null) =>
      events.filter((e) => e.event === event && (e.body.action ?? null) === action).map((e) => refKey({ repo: e.body.repository.name, number: e.body.pull_request.number }));
    const newPulls = summary.newPulls.map(refKey).sort();
    expect(refs('pull_request', 'opened').sort()).toEqual(newPulls);
    expect(refs('pull_request', 'review_requested').sort()).toEqual(newPulls);
    // Each new PR gets one review, each reviewed older PR one more.
    expect(refs('pull_request_review', 'submitted').sort()).toEqual([...newPulls, ...summary.reviewedPulls.map(refKey)].sort());
    const mergedNew = summary.newPulls.filter((r) => sim.org.pulls.some((p) => p.repo === r.repo && p.number === r.number && p.mergedAt !== null));
    expect(refs('pull_request', 'closed').sort()).toEqual([...mergedNew, ...summary.lateMerged].map(refKey).sort());
    for (const e of events.filter((x) => x.event === 'pull_request' && x.body.action === 'closed')) expect(e.body.pull_request.merged).toBe(true);

    // One push per merge, onto the default branch, whose head is the PR's merge commit.
    const pushes = events.filter((e) => e.event === 'push');
    expect(pushes.length).toBe(mergedNew.length + summary.lateMerged.length);
    for (const push of pushes) {
      const closed = events.find((e) => e.body.action === 'closed' && e.body.pull_request.merge_commit_sha === push.body.after);
      expect(closed, `the merge that pushed ${push.body.after}`).toBeDefined();
      expect(push.body.ref).toBe(`refs/heads/${push.body.repository.default_branch}`);
      expect(push.body.head_commit.id).toBe(push.body.after);
      expect(events.indexOf(closed!)).toBeLessThan(events.indexOf(push));
    }
    // Inline comments: exactly those of the new reviews.
    const newReviewIds = new Set(events.filter((e) => e.event === 'pull_request_review').map((e) => e.body.review.id as number));
    const inline = sim.org.pulls.flatMap((p) => p.reviewComments).filter((c) => newReviewIds.has(c.reviewId));
    expect(events.filter((e) => e.event === 'pull_request_review_comment').map((e) => e.body.comment.id).sort()).toEqual(inline.map((c) => c.id).sort());

    // A PR is opened before it is reviewed, and reviewed before it is merged.
    for (const ref of newPulls) {
      const order = events.filter((e) => e.body.pull_request && refKey({ repo: e.body.repository.name, number: e.body.pull_request.number }) === ref).map((e) => e.body.action);
      expect(order[0]).toBe('opened');
      expect(order.indexOf('submitted')).toBeGreaterThan(order.indexOf('review_requested'));
      if (order.includes('closed')) expect(order.at(-1)).toBe('closed');
    }
    const opened = events.find((e) => e.body.action === 'opened')!;
    expect(opened.body.pull_request.state).toBe('open');
    expect(opened.body.pull_request.merged).toBe(false);
  });

  it('carries the pull requests the REST API serves: the same ids, and the same body once the last event is in', async () => {
    const events = bodies().slice(1).filter((e) => e.body.pull_request);
    const last = new Map<string, Body>();
    for (const e of events) last.set(refKey({ repo: e.body.repository.name, number: e.body.pull_request.number }), e.body.pull_request);
    const h = { authorization: `token ${sim.token}` };
    for (const [ref, pr] of last) {
      const [repo, n] = ref.split('#');
      const rest = (await (await fetch(`${sim.url}/repos/${sim.org.org.login}/${repo}/pulls/${n}`, { headers: h })).json()) as Body;
      expect(pr, ref).toEqual(rest);
    }
    const review = bodies().find((e) => e.event === 'pull_request_review')!.body;
    const listed = (await (await fetch(`${sim.url}/repos/${sim.org.org.login}/${review.repository.name}/pulls/${review.pull_request.number}/reviews?per_page=100`, { headers: h })).json()) as Body[];
    const served = listed.find((r) => r.id === review.review.id)!;
    expect({ ...review.review, state: served.state }).toEqual(served);
    expect(review.review.state).toBe(served.state.toLowerCase());
  });

  it('records every attempt at GET /_sim/webhooks with its status and duration', async () => {
    const list = (await (await fetch(`${sim.url}/_sim/webhooks`)).json()) as Body;
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(list.hooks).toEqual([expect.objectContaining({ url: receiver.url })]);
    expect(list.pending).toBe(0);
    expect(list.deliveries.map((d: Body) => d.id)).toEqual(receiver.received.map((r) => r.headers['x-github-delivery']));
    for (const d of list.deliveries) {
      expect(d).toMatchObject({ status: 202, dropped: false, error: null });
      expect(d.ms).toBeGreaterThanOrEqual(0);
    }
    expect(list.deliveries.map((d: Body) => d.event)).toEqual(receiver.received.map((r) => r.headers['x-github-event']));
  });
});

describe('webhook hooks configured and dropped at run time', () => {
  it('pings a hook added by POST /_sim/webhooks and sends it the next evolve', async () => {
    const late = await startReceiver();
    const s = await startSimulator({ seed: 5, scale: 'tiny', git: false });
    try {
      await fetch(`${s.url}/_sim/evolve`, { method: 'POST', body: '{"newPulls": 1}' });
      expect(late.received).toEqual([]);
      const res = await fetch(`${s.url}/_sim/webhooks`, { method: 'POST', body: JSON.stringify({ url: late.url, secret: SECRET }) });
      expect(res.status).toBe(201);
      await waitFor(() => late.received.length === 1);
      expect(late.received[0]!.headers['x-github-event']).toBe('ping');
      await fetch(`${s.url}/_sim/evolve`, { method: 'POST', body: '{"newPulls": 2, "newReviewsOnOldPulls": 0, "lateMerges": 0}' });
      await s.webhooks.idle();
      expect(late.received.filter((r) => JSON.parse(r.body).action === 'opened').length).toBe(2);
    } finally {
      await s.close();
      await late.close();
    }
  });

  it('sends the user:password of a hook URL as Basic credentials, and lists the URL without them', async () => {
    const r = await startReceiver();
    const s = await startSimulator({ seed: 5, scale: 'tiny', git: false, webhook: { url: r.url.replace('http://', 'http://hook-user:p%40ss-w0rd@'), secret: SECRET } });
    try {
      await s.webhooks.idle();
      expect(r.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('hook-user:p@ss-w0rd').toString('base64')}`);
      const listed = await (await fetch(`${s.url}/_sim/webhooks`)).text();
      expect(JSON.parse(listed).hooks[0].url).toBe(r.url);
      expect(`${listed}${r.received[0]!.body}`).not.toMatch(/p%40ss-w0rd|p@ss-w0rd|hook-user/);
    } finally {
      await s.close();
      await r.close();
    }
  });

  it('drops the same share of deliveries for the same seed, and none reach the receiver while paused', async () => {
    const run = async () => {
      const r = await startReceiver();
      const s = await startSimulator({ seed: 6, scale: 'tiny', git: false, webhook: { url: r.url, secret: SECRET }, dropWebhooks: 0.5 });
      try {
        await fetch(`${s.url}/_sim/evolve`, { method: 'POST', body: '{"newPulls": 8}' });
        await s.webhooks.idle();
        const deliveries = s.webhooks.deliveries();
        expect(r.received.map((x) => x.headers['x-github-delivery'])).toEqual(deliveries.filter((d) => !d.dropped).map((d) => d.id));
        await fetch(`${s.url}/_sim/webhooks/pause`, { method: 'POST' });
        const before = r.received.length;
        await fetch(`${s.url}/_sim/evolve`, { method: 'POST', body: '{"newPulls": 2}' });
        await s.webhooks.idle();
        expect(r.received.length).toBe(before);
        expect(s.webhooks.deliveries().length).toBeGreaterThan(deliveries.length);
        return deliveries.map((d) => `${d.event}:${d.action}:${d.repo}#${d.number}:${d.dropped}`);
      } finally {
        await s.close();
        await r.close();
      }
    };
    const first = await run();
    const dropped = first.filter((d) => d.endsWith(':true')).length;
    expect(dropped).toBeGreaterThan(first.length * 0.2);
    expect(dropped).toBeLessThan(first.length * 0.8);
    expect(await run()).toEqual(first);
  });
});

describe('deliveries for changes the evolve step does not make yet', () => {
  it('builds issue_comment, ready_for_review and membership deliveries in GitHub\'s shapes', () => {
    // The mark is the org with some later activity taken away, so the diff announces it.
    const org = generateOrg({ seed: 7, scale: 'tiny' });
    const before = structuredClone(org);
    const commented = before.pulls.find((p) => p.issueComments.length > 0)!;
    commented.issueComments = [];
    const readied = before.pulls.find((p) => p.readyAt !== null && !p.isDraft)!;
    readied.isDraft = true;
    const team = before.teams[0]!;
    const joined = team.members.shift()!;
    team.members.push('someone-who-left');
    const state: SimState = { index: indexOrg(org), shas: new Map(), baseUrl: 'http://127.0.0.1:9', token: 't', hiddenRepos: new Set(), app: null };
    const events = changesSince(state, markOrg(before));
    const got = events.map((e) => `${e.event} ${e.action} ${e.repo ?? ''}#${e.number ?? ''}`).sort();
    const comments = org.pulls.find((p) => p.repo === commented.repo && p.number === commented.number)!.issueComments;
    expect(got).toEqual(
      [
        ...comments.map(() => `issue_comment created ${commented.repo}#${commented.number}`),
        `pull_request ready_for_review ${readied.repo}#${readied.number}`,
        'membership added #',
        'membership removed #',
      ].sort(),
    );
    for (const e of events) expect(shapeProblems(e.payload, examplesOf(e.event, e.action)), `${e.event} ${e.action}`).toEqual([]);
    expect(events.find((e) => e.action === 'added')!.payload.member).toMatchObject({ login: joined });
    const ready = events.find((e) => e.action === 'ready_for_review')!.payload.pull_request as Body;
    expect(ready.draft).toBe(false);
  });
});
