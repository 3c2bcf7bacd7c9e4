import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, runQueuedDerive, type TestDb } from './harness.ts';
import { OrgBuilder, NOW, at } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { DERIVE_SIGNALS, DERIVE_SIGNALS_KEY } from '../jobs/derive.enqueue.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';

// Saving settings answers at once and queues one recompute of the signals (the job runner's).

let t: TestDb;
let app: ReturnType<typeof createTestApp>;
const put = async (body: unknown) => {
  const res = await app.request('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { settings: Record<string, unknown>; deriveQueued: boolean; unknownTeamLogins: string[] };
};
const counted = async () => (await t.db.selectFrom('signal_people').select('login').orderBy('login').execute()).map((p) => p.login);
const deriveJobs = () => t.db.selectFrom('jobs').select(['task', 'key']).where('task', '=', DERIVE_SIGNALS).execute();

beforeAll(async () => {
  t = await createTestDb();
  const org = new OrgBuilder(t.db);
  await org.repo('api');
  for (const l of ['ana', 'ben', 'Cai']) await org.person(l);
  await org.review(await org.pr({ author: 'ana', created: at(10) }), 'ben', 'APPROVED', at(9));
  await org.review(await org.pr({ author: 'Cai', created: at(8) }), 'ana', 'APPROVED', at(7));
  await deriveAll(t.db, { now: NOW });
  app = createTestApp(t);
});
afterAll(async () => t.close());

describe('saving settings', () => {
  it('answers before the signals are recomputed, queues the recompute once however many saves, and the signals follow once it ran', async () => {
    const first = await put({ excludedLogins: ['ben'] });
    expect(first).toMatchObject({ settings: { excludedLogins: ['ben'] }, deriveQueued: true, unknownTeamLogins: [] });
    await put({ excludedLogins: ['ben'], menteeLimit: 4 });
    expect(await counted()).toEqual(['Cai', 'ana', 'ben']);
    expect(await deriveJobs()).toEqual([{ task: DERIVE_SIGNALS, key: DERIVE_SIGNALS_KEY }]);
    await runQueuedDerive(t);
    expect(await counted()).toEqual(['Cai', 'ana']);
    expect(await deriveJobs()).toEqual([]);
  });

  it('keeps the saved value of every field the body leaves out', async () => {
    await put({ menteeLimit: 7 });
    const { settings } = await put({ rubberStampLines: 100 });
    expect(settings).toMatchObject({ menteeLimit: 7, rubberStampLines: 100, excludedLogins: ['ben'] });
  });

  it('names the team members who are no GitHub person, matching logins as GitHub does (any case), without recomputing', async () => {
    const saved = await put({ teams: [{ slug: 'core', name: 'Core', members: ['ANA', 'cai', 'nobody'] }] });
    expect(saved.unknownTeamLogins).toEqual(['nobody']);
    expect(await t.db.selectFrom('signal_teams').select('slug').where('slug', '=', 'core').execute()).toEqual([]);
    await runQueuedDerive(t);
    expect(await t.db.selectFrom('signal_team_members').select('slug').where('slug', '=', 'core').execute()).toHaveLength(2);
  });
});
