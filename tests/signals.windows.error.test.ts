import type { AddressInfo } from 'node:net';
import { Agent, get } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { syncSeededOrg, type SyncedOrg } from './consistency.fixture.ts';

// Windows a user (or a script) can ask for that do not fit the synced history: each is either a
// 400 that says where the history is, or a window clamped into it, never a 200 with silently
// empty figures. And absurd windows asked for all at once do not stall the server.

// API answers are read as JSON and checked field by field.
type Json = any;

let s: SyncedOrg;
/** The synced history as the domain tables hold it: the first PR to the newest PR event or review. */
let history: { from: string; to: string };

const ROUTES = ['/api/overview', '/api/brief', '/api/reviews', '/api/mentoring', '/api/trends', '/api/people', '/api/teams', '/api/repos', '/api/review-matrix'];

beforeAll(async () => {
  s = await syncSeededOrg({ seed: 1, scale: 'small', git: false });
  // The latest of the four as a union (multi-argument max() is SQLite's; PostgreSQL says greatest()).
  const span = await sql<{ first: string; last: string }>`
    select (select min(created_at) from pull_requests) as first,
           (select max(at) from (select max(created_at) as at from pull_requests union all select max(coalesce(merged_at, '')) from pull_requests
              union all select max(coalesce(closed_at, '')) from pull_requests union all select max(submitted_at) from reviews) as ends) as last`.execute(s.t.db);
  history = { from: span.rows[0]!.first, to: span.rows[0]!.last };
  // The simulated history ends just before the simulator's now.
  expect(history.to < s.now).toBe(true);
}, 120_000);
afterAll(async () => s?.close());

/** The period a 200 answer covers, and whether it shows activity. */
const covered = (route: string, body: Json) => {
  const window = { from: body.from as string, to: body.to as string };
  if (route === '/api/overview' || route === '/api/reviews') return { ...window, activity: body.reviews.prs + body.reviews.reviews };
  if (route === '/api/trends') return { ...window, activity: body.weeks.reduce((n: number, w: Json) => n + w.prs_opened + w.reviews, 0) };
  if (route === '/api/people') return { ...window, activity: body.people.length };
  if (route === '/api/repos') return { ...window, activity: body.repos.reduce((n: number, r: Json) => n + r.prs, 0) };
  if (route === '/api/teams') return { ...window, activity: body.teams.reduce((n: number, t: Json) => n + (t.totals?.prs ?? 0), 0) };
  if (route === '/api/review-matrix') return { ...window, activity: body.matrix.flat().reduce((n: number, v: number) => n + v, 0) };
  if (route === '/api/mentoring') return { ...window, activity: body.edges.length + body.newcomers.length };
  return { ...window, activity: body.goingWell.length + body.needsGuidance.length + body.changes.length };
};

/** Either a 400 naming the history's first and last day, or a 200 whose window lies inside the history and shows its activity. */
async function expectClearOrClamped(route: string, q: string) {
  const res = await s.app.request(`${route}?${q}`);
  const body = (await res.json()) as Json;
  const what = `${route}?${q} → ${res.status} ${JSON.stringify(body).slice(0, 240)}`;
  expect([200, 400], what).toContain(res.status);
  if (res.status === 400) {
    expect(body.error.code, what).toBe('bad_request');
    expect(body.error.message, what).toContain(history.from.slice(0, 10));
    expect(body.error.message, what).toContain(history.to.slice(0, 10));
    return 'refused' as const;
  }
  const c = covered(route, body);
  // Half-open windows: `to` may be one second past the newest event, never further.
  expect(Date.parse(c.from), what).toBeGreaterThanOrEqual(Date.parse(history.from));
  expect(Date.parse(c.to), what).toBeLessThanOrEqual(Date.parse(history.to) + 1000);
  expect(Date.parse(c.from), what).toBeLessThan(Date.parse(c.to));
  expect(c.activity, `${what}: a 200 over the history must show its data`).toBeGreaterThan(0);
  return 'clamped' as const;
}

describe.each(ROUTES)('%s', (route) => {
  it('to=9999-12-31 is clamped to the end of the synced history (or refused with its dates)', async () => {
    await expectClearOrClamped(route, 'to=9999-12-31');
  });

  it('from=0001-01-01&to=9999-12-30 covers the synced history (or is refused with its dates)', async () => {
    await expectClearOrClamped(route, 'from=0001-01-01&to=9999-12-30');
  });

  it('a window wholly after the synced history is a 400 that says where the history is', async () => {
    expect(await expectClearOrClamped(route, 'from=2030-01-01&to=2030-02-01')).toBe('refused');
    // From a day after the history to today (the default end): nothing synced there either.
    const after = new Date(Date.parse(history.to) + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(await expectClearOrClamped(route, `from=${after}`)).toBe('refused');
  });

  it('a window wholly before the synced history is a 400 that says where the history is', async () => {
    expect(await expectClearOrClamped(route, 'from=2000-01-01&to=2000-02-01')).toBe('refused');
    const before = new Date(Date.parse(history.from) - 86_400_000).toISOString().slice(0, 10);
    expect(await expectClearOrClamped(route, `from=2020-01-01&to=${before}`)).toBe('refused');
  });
});

describe('absurd windows on a running server', () => {
  let server: ServerType;
  let base: string;
  beforeAll(async () => {
    server = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise((r) => server.close(r)));

  it('the health check is answered between huge windows, not after all of them', async () => {
    // Told by order, not by a clock: a probe sent while sixteen huge windows are being computed
    // is answered before most of them are, however fast this machine is.
    const PROBES = 12;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const probe = () =>
      new Promise<number>((resolve, reject) => {
        const req = get(`${base}/api/health`, { agent, timeout: 5_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () => req.destroy(new Error('health probe timed out')));
        req.on('error', reject);
      });
    expect(await probe()).toBe(200); // the connection is open before the storm starts
    // The server runs in this process: the longest the event loop was held is what a request
    // arriving at the worst moment waits. A window that held it for a second (as an unclamped
    // year-1-to-9999 window once did) shows here whatever the machine's speed.
    const held = monitorEventLoopDelay({ resolution: 10 });
    held.enable();
    const start = Date.parse(history.from);
    // Sixteen windows that differ as asked and after clamping: each starts a day later in the
    // history and ends in a different December of the year 9999.
    const windows = Array.from({ length: 16 }, (_, i) => `from=${new Date(start + (i + 1) * 86_400_000).toISOString().slice(0, 10)}&to=9999-12-${String(31 - i).padStart(2, '0')}`);
    const paths = ['/api/overview', '/api/mentoring', '/api/brief', '/api/teams'];
    let stormAnswered = 0;
    const storm = Promise.all(
      windows.map(async (w, i) => {
        const res = await fetch(`${base}${paths[i % paths.length]}?${w}`, { signal: AbortSignal.timeout(30_000) });
        const body = (await res.json()) as Json;
        stormAnswered++;
        return { status: res.status, to: body.to as string | undefined };
      }),
    );
    // How many storm answers had arrived when each probe was answered. The prober keeps one
    // connection open, as a load balancer's health check does.
    const seen: number[] = [];
    for (let i = 0; i < PROBES && stormAnswered < windows.length; i++) {
      expect(await probe()).toBe(200);
      seen.push(stormAnswered);
    }
    const answers = await storm;
    held.disable();
    agent.destroy();
    expect(answers.map((a) => a.status)).toEqual(windows.map(() => 200));
    for (const a of answers) expect(Date.parse(a.to!)).toBeLessThanOrEqual(Date.parse(history.to) + 1000);
    const what = `storm answers seen by each probe: ${seen.join(', ')}`;
    // The first probe did not wait for the storm: most of it was still being computed.
    expect(seen[0], what).toBeLessThan(windows.length / 2);
    // And probes kept being answered while it ran.
    expect(seen.filter((n) => n < windows.length).length, what).toBeGreaterThanOrEqual(3);
    // No step of any of the sixteen held the event loop for long (a generous bound: a busy CI
    // machine delays a process too, but not by the second a blocking window costs).
    expect(held.max / 1e6, `${what}; event loop held at most ${Math.round(held.max / 1e6)} ms`).toBeLessThan(400);
  }, 60_000);
});
