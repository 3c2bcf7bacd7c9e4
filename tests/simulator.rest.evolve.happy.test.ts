import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { authEnv } from '../jobs/git/clone.ts';
import { generateOrg } from '../simulator/generate/index.ts';
import { saveSnapshot } from '../simulator/snapshot.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';

// The org moves on between two syncs (POST /_sim/evolve), and a recorded org can be replayed.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'sim-evolve-'));
const sims: RunningSimulator[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /_sim/evolve', () => {
  it('adds pull requests and late merges that REST, GraphQL and git all show', async () => {
    const sim = await startSimulator({ seed: 3, scale: 'tiny', reposRoot: join(dir, 'repos') });
    sims.push(sim);
    const o = sim.org.org.login;
    const h = { authorization: `token ${sim.token}` };
    const countPulls = async () => {
      let n = 0;
      for (const r of sim.org.repos) {
        const res = await fetch(`${sim.url}/repos/${o}/${r.name}/pulls?state=all&per_page=100`, { headers: h });
        n += ((await res.json()) as unknown[]).length;
      }
      return n;
    };
    const before = await countPulls();
    const res = await fetch(`${sim.url}/_sim/evolve`, { method: 'POST', body: JSON.stringify({ newPulls: 4, lateMerges: 1, newReviewsOnOldPulls: 1 }) });
    expect(res.status).toBe(200);
    type Ref = { repo: string; number: number };
    const summary = (await res.json()) as { newPulls: Ref[]; lateMerged: Ref[]; reviewedPulls: Ref[] };
    expect(summary.newPulls.length).toBe(4);
    expect(await countPulls()).toBe(before + 4);

    // The newest update in GraphQL is now one of the evolved pull requests.
    const merged = summary.lateMerged[0] ?? summary.newPulls[0]!;
    const gql = await fetch(`${sim.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `bearer ${sim.token}` },
      body: JSON.stringify({ query: `{ repository(owner: "${o}", name: "${merged.repo}") { url pullRequests(first: 5, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { number mergeCommit { oid } } } } }` }),
    });
    const data = ((await gql.json()) as any).data.repository;
    const touched = new Set([...summary.newPulls, ...summary.lateMerged, ...summary.reviewedPulls].filter((p) => p.repo === merged.repo).map((p) => p.number));
    expect(touched.has(data.pullRequests.nodes[0].number)).toBe(true);

    // Every merge commit GraphQL names is in the served git history, cloned from GraphQL's url.
    await run('git', ['clone', '--quiet', '--bare', data.url, join(dir, 'clone.git')], { timeout: 60_000, env: { ...process.env, ...authEnv(sim.token) } });
    const { stdout } = await run('git', ['log', '--format=%H'], { cwd: join(dir, 'clone.git') });
    for (const p of data.pullRequests.nodes) if (p.mergeCommit) expect(stdout).toContain(p.mergeCommit.oid);
  });

  it('refuses a body it cannot read with a message saying what to send', async () => {
    const sim = await startSimulator({ seed: 3, scale: 'tiny', git: false });
    sims.push(sim);
    const res = await fetch(`${sim.url}/_sim/evolve`, { method: 'POST', body: JSON.stringify({ newPulls: -1 }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('newPulls must be a whole number from 0 to 100000');
  });
});

describe('--from a snapshot', () => {
  it('serves the recorded org exactly as the generated one', async () => {
    const org = generateOrg({ seed: 5, scale: 'tiny' });
    const file = join(dir, 'org.json');
    saveSnapshot(org, file);
    const [live, replay] = await Promise.all([startSimulator({ org, git: false }), startSimulator({ from: file, git: false })]);
    sims.push(live, replay);
    const path = `/repos/${org.org.login}/${org.repos[0]!.name}/pulls?state=all&per_page=100`;
    const [a, b] = await Promise.all(
      [live, replay].map(async (s) => (await (await fetch(s.url + path, { headers: { authorization: `token ${s.token}` } })).text()).replaceAll(s.url.replace('http://', ''), 'SIM')),
    );
    expect(b).toBe(a);
  });
});
