import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';

let t: TestDb;
let app: ReturnType<typeof createTestApp>;
beforeAll(async () => {
  t = await createTestDb();
  await t.db.insertInto('repos').values({ id: 1, owner: 'acme', name: 'fresh', full_name: 'acme/fresh', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
  app = createTestApp(t);
});
afterAll(async () => t.close());

async function error(path: string) {
  const res = await app.request(path);
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message ?? '' };
}

describe('GET /api/knowledge/:owner/:repo with a bad repo', () => {
  it('an unknown repo → 404 naming it', async () => {
    expect(await error('/api/knowledge/acme/nope')).toMatchObject({ status: 404, code: 'not_found', message: 'No repository "acme/nope" has been synced.' });
  });

  it('a synced repo whose history is not analysed yet → 404 saying when it will be', async () => {
    const e = await error('/api/knowledge/acme/fresh');
    expect(e).toMatchObject({ status: 404, code: 'not_found' });
    expect(e.message).toContain('has not been analysed yet');
  });

  it('a name GitHub would not allow → 400 saying which part is wrong', async () => {
    const e = await error('/api/knowledge/acme/bad%20name');
    expect(e).toMatchObject({ status: 400, code: 'bad_request' });
    expect(e.message).toContain('repo');
  });
});
