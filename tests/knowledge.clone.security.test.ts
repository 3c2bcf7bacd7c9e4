import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './harness.ts';
import { updateRepoHistory } from '../jobs/git/knowledge.job.ts';

// The git token goes to git through the environment only: a failing clone must not echo it.
const TOKEN = 'ghp_secretCloneToken9876543210abcdefXYZ';
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await t.db.insertInto('repos').values({ id: 3, owner: 'acme', name: 'gone', full_name: 'acme/gone', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
});
afterAll(async () => t.close());

describe('cloning with a token', () => {
  it('fails with a one-line error that names the repo but never the token', async () => {
    // Port 1 on loopback refuses at once; the URL also carries the token as a password.
    const err = await updateRepoHistory(t.db, { repoId: 3, cloneUrl: `http://x-access-token:${TOKEN}@127.0.0.1:1/acme/gone.git`, token: TOKEN, dataDir: t.dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain('Could not clone acme/gone');
    // git gets it as Basic credentials, so their base64 form must not show either.
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain(basic);
    expect(message.split('\n')).toHaveLength(1);
    const rows = JSON.stringify(await t.db.selectFrom('sync_state').selectAll().execute());
    expect(rows).not.toContain(TOKEN);
    expect(rows).not.toContain(basic);
  });

  it('names a repo that was never synced', async () => {
    await expect(updateRepoHistory(t.db, { repoId: 99, cloneUrl: 'http://127.0.0.1:1/x.git', dataDir: t.dir })).rejects.toThrow('No repository with id 99 is stored; sync the organisation first.');
  });
});
