import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, runQueuedDerive, type TestDb } from './harness.ts';
import { OrgBuilder, NOW, at } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';

// Who reviews whom across teams: rows are the reviewing team, columns the author's team.

interface Matrix {
  teams: { slug: string; members: number }[];
  matrix: number[][];
  suppressed: { slug: string; members: number }[];
  repo: string | null;
  formula: string;
}

let t: TestDb;
let app: ReturnType<typeof createTestApp>;
const window = `from=${at(90).slice(0, 10)}&to=${NOW.slice(0, 10)}`;
async function matrix(extra = ''): Promise<Matrix> {
  const res = await app.request(`/api/review-matrix?${window}${extra}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Matrix;
}
/** The cell for reviewer team → author team, by slug. */
const cell = (m: Matrix, reviewer: string, author: string) => m.matrix[m.teams.findIndex((x) => x.slug === reviewer)]![m.teams.findIndex((x) => x.slug === author)];

beforeAll(async () => {
  t = await createTestDb();
  const org = new OrgBuilder(t.db);
  await org.repo('api', 1);
  await org.repo('web', 2);
  for (const l of ['ana', 'ben', 'cai', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy']) await org.person(l);
  await org.person('deploy[bot]', { bot: true });
  await org.person('ghost', { ghost: true });
  await org.team('platform', ['ana', 'ben', 'cai', 'dee', 'deploy[bot]']);
  await org.team('infra', ['eve', 'fay', 'gus']);
  await org.team('duo', ['hal', 'ivy']);
  // Hidden beside duo (the next-smallest; ties go by name), so duo cannot be had by subtraction.
  for (const l of ['jo', 'kim', 'lee']) await org.person(l);
  await org.team('guild', ['jo', 'kim', 'lee']);

  const evePr = await org.pr({ author: 'eve', created: at(30) });
  await org.review(evePr, 'ana', 'COMMENTED', at(29), { body: 40 });
  await org.review(evePr, 'ana', 'APPROVED', at(28));
  await org.review(evePr, 'deploy[bot]', 'APPROVED', at(28)); // a bot never counts
  await org.review(evePr, 'ghost', 'APPROVED', at(28)); // nor the ghost user
  const anaPr = await org.pr({ author: 'ana', created: at(20) });
  await org.review(anaPr, 'eve', 'APPROVED', at(19));
  await org.review(anaPr, 'hal', 'APPROVED', at(19)); // duo is too small to be shown
  await org.review(await org.pr({ author: 'cai', created: at(10) }), 'ben', 'CHANGES_REQUESTED', at(9));
  await org.review(await org.pr({ author: 'ben', created: at(12), repo: 2 }), 'fay', 'APPROVED', at(11));
  await org.review(await org.pr({ author: 'gus', created: at(200) }), 'ana', 'APPROVED', at(199)); // before the window
  await deriveAll(t.db, { now: NOW });
  app = createTestApp(t);
});
afterAll(async () => t.close());

describe('review matrix', () => {
  it('counts reviews by the reviewing team and the author team, in the window, without bots or the ghost', async () => {
    const m = await matrix();
    expect(m.teams.map((x) => [x.slug, x.members])).toEqual([
      ['infra', 3],
      ['platform', 4],
    ]);
    expect(m.matrix).toEqual([
      [0, 2], // infra reviewed platform twice: eve on ana's PR, fay on ben's
      [2, 1], // platform reviewed infra twice (ana) and itself once (ben on cai's PR)
    ]);
    expect(m.formula).toContain('row’s team');
  });

  it('leaves out teams under the minimum group size, and the next-smallest beside them, saying so', async () => {
    const m = await matrix();
    expect(m.teams.map((x) => x.slug)).not.toContain('duo');
    expect(m.teams.map((x) => x.slug)).not.toContain('guild');
    expect(m.suppressed).toEqual([
      { slug: 'duo', name: 'duo', members: 2 },
      { slug: 'guild', name: 'guild', members: 3 },
    ]);
  });

  it('narrows to one repository', async () => {
    const m = await matrix('&repo=web');
    expect(m.repo).toBe('acme/web');
    expect(cell(m, 'infra', 'platform')).toBe(1);
    expect(cell(m, 'platform', 'infra')).toBe(0);
  });

  it('stops counting a person once settings exclude them', async () => {
    const res = await app.request('/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...csrfHeaders() },
      body: JSON.stringify({ excludedLogins: ['ana'] }),
    });
    expect(res.status).toBe(200);
    await runQueuedDerive(t);
    const m = await matrix();
    expect(m.teams.find((x) => x.slug === 'platform')?.members).toBe(3);
    expect(cell(m, 'platform', 'infra')).toBe(0);
    expect(cell(m, 'infra', 'platform')).toBe(1); // only fay on ben's PR is left
  });

  it('hides every team when the minimum group size is above them all', async () => {
    const res = await app.request('/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...csrfHeaders() },
      body: JSON.stringify({ minGroupSize: 4 }),
    });
    expect(res.status).toBe(200);
    await runQueuedDerive(t);
    const m = await matrix();
    expect(m.teams).toEqual([]);
    expect(m.matrix).toEqual([]);
    expect(m.suppressed.map((x) => x.slug).sort()).toEqual(['duo', 'guild', 'infra', 'platform']);
  });
});
