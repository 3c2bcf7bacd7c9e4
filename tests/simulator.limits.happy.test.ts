import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { handmadeOrg } from './simulator.handmade-org.ts';

// Rate limits, faults and latency as a client meets them, with the clock running fast.
const started: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});
async function start(opts: Parameters<typeof startSimulator>[0]) {
  const sim = await startSimulator({ org: handmadeOrg(), git: false, ...opts });
  started.push(sim);
  return sim;
}
const get = (sim: RunningSimulator, path: string) => fetch(sim.url + path, { headers: { authorization: `token ${sim.token}` } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('primary rate limit', () => {
  it('refuses REST requests once the hourly budget is spent, counts them, and lets them through after the reset', async () => {
    // 3600× clock: the hour lasts one real second.
    const sim = await start({ rateLimit: 5, clockSpeed: 3600 });
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await get(sim, '/orgs/acme');
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      expect(res.headers.get('x-ratelimit-resource')).toBe('core');
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    const over = await get(sim, '/orgs/acme');
    expect(over.status).toBe(403);
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    const body = (await over.json()) as { message: string; documentation_url: string };
    expect(body.message).toMatch(new RegExp(`^API rate limit exceeded for user ID ${sim.org.people[0]!.id}\\.`));
    expect(body.documentation_url).toMatch(/^https:\/\/docs\.github\.com\//);
    expect(sim.stats()).toMatchObject({ overLimit: 1, rejectedForLimit: 1, pointsCharged: 5 });

    const reset = Number(over.headers.get('x-ratelimit-reset')) * 1000;
    expect(reset - Date.now()).toBeLessThan(2000);
    await sleep(Math.max(0, reset - Date.now()) + 50);
    const after = await get(sim, '/orgs/acme');
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('4');
  });

  it('charges GraphQL its points in a bucket of its own and refuses a query it cannot afford', async () => {
    const sim = await start({ rateLimit: 60 });
    const costly = `{ viewer { repositories(first: 100) { nodes { issues(first: 50) { nodes { labels(first: 60) { nodes { name } } } } } } } }`;
    const q = (query: string) =>
      fetch(`${sim.url}/graphql`, { method: 'POST', headers: { authorization: `bearer ${sim.token}` }, body: JSON.stringify({ query }) });
    const first = await q(costly);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('9');
    expect(first.headers.get('x-ratelimit-resource')).toBe('graphql');
    const second = await q(costly);
    const body = (await second.json()) as { errors: { type: string; message: string }[] };
    expect(body.errors[0]!.type).toBe('RATE_LIMITED');
    expect(body.errors[0]!.message).toMatch(/^API rate limit exceeded for user ID/);
    // REST has its own budget.
    expect((await get(sim, '/orgs/acme')).headers.get('x-ratelimit-remaining')).toBe('59');
    expect(sim.stats()).toMatchObject({ rejectedForLimit: 1, overLimit: 0, pointsCharged: 52 });
  });
});

describe('secondary rate limit', () => {
  it('answers 403 with retry-after when too many requests are in flight at once', async () => {
    const sim = await start({ secondaryConcurrency: 2, latencyMs: 300 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(sim, '/orgs/acme')));
    const refused = answers.filter((r) => r.status === 403);
    expect(answers.filter((r) => r.status === 200).length).toBe(2);
    expect(refused.length).toBe(4);
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await r.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    }
    expect(sim.stats().rejectedForLimit).toBe(4);
  });
});

describe('faults and latency', () => {
  it('injects seeded 500s, 502s, resets and slow answers, never on /_sim', async () => {
    const sim = await start({ faults: 1, secondaryConcurrency: 100 });
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const t0 = Date.now();
        try {
          const res = await get(sim, '/orgs/acme');
          await res.arrayBuffer();
          return Date.now() - t0 >= 1900 ? 'slow' : String(res.status);
        } catch {
          return 'reset';
        }
      }),
    );
    expect(new Set(outcomes)).toEqual(new Set(['500', '502', 'reset', 'slow']));
    const stats = await (await fetch(`${sim.url}/_sim/stats`)).json();
    expect(stats.faults).toBe(16);
    expect(stats.total).toBe(16);
  });

  it('delays every answer by the configured latency', async () => {
    const sim = await start({ latencyMs: 250 });
    const t0 = Date.now();
    expect((await get(sim, '/orgs/acme')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
  });
});

describe('/_sim controls', () => {
  it('counts requests by route and resets the counters on demand', async () => {
    const sim = await start({});
    await get(sim, '/repos/acme/api/pulls');
    await get(sim, '/repos/acme/web/pulls');
    await get(sim, '/repos/acme/api/pulls/3');
    const stats = await (await fetch(`${sim.url}/_sim/stats`)).json();
    expect(stats.requests).toEqual({ 'GET /repos/:owner/:repo/pulls': 2, 'GET /repos/:owner/:repo/pulls/:n': 1 });
    expect(stats).toMatchObject({ total: 3, pointsCharged: 3, notModified: 0, faults: 0, overLimit: 0, rejectedForLimit: 0 });
    await fetch(`${sim.url}/_sim/reset-stats`, { method: 'POST' });
    expect(sim.stats()).toMatchObject({ total: 0, requests: {} });
  });

  it('serves the planted truth with the org name and the end of history', async () => {
    const sim = await start({});
    const truth = await (await fetch(`${sim.url}/_sim/truth`)).json();
    expect(truth).toMatchObject({ org: 'acme', now: sim.org.now, bots: ['dependabot[bot]'] });
  });
});
