import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYNC_ORG, SYNC_REPO, syncOrgJobKey, syncRepoJobKey } from '../jobs/github/sync.ts';
import type { SyncStatus } from '../web/src/lib/types.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';

// A job that keeps failing must be told, in words, while it still retries: the status never
// says "no errors" over a sync that cannot reach GitHub.

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.close();
});

async function addJob(o: { task: string; key: string; payload: unknown; attempts: number; maxAttempts?: number; error: string; runAt: string }) {
  await t.db
    .insertInto('jobs')
    .values({ task: o.task, key: o.key, payload: JSON.stringify(o.payload), attempts: o.attempts, max_attempts: o.maxAttempts ?? 10, last_error: o.error, run_at: o.runAt, created_at: new Date().toISOString() })
    .execute();
}

async function status(): Promise<SyncStatus> {
  return (await (await createTestApp(t).request('http://127.0.0.1/api/sync')).json()) as SyncStatus;
}

it('an org sync that failed twice and waits to retry is told with its cause, its next try and its tries left', async () => {
  const cause = 'GitHub at http://127.0.0.1:9 could not be reached after several tries (connect ECONNREFUSED). Check the network and the API URL.';
  await addJob({ task: SYNC_ORG, key: syncOrgJobKey('acme'), payload: { org: 'acme' }, attempts: 2, error: cause, runAt: '2026-12-01T19:00:00.000Z' });
  const s = await status();
  expect(s.errors).toEqual([
    'Listing the repositories of acme failed 2 times: GitHub at http://127.0.0.1:9 could not be reached after several tries (connect ECONNREFUSED). Check the network and the API URL. Next try at 2026-12-01T19:00:00.000Z (try 3 of 10).',
  ]);
  expect(s.retryingJobs).toMatchObject([{ task: SYNC_ORG, attempts: 2, maxAttempts: 10, nextTryAt: '2026-12-01T19:00:00.000Z', error: cause }]);
  expect(s.queued).toBe(1);
});

it('a repo sync that gave up is told as given up, with what to do', async () => {
  await addJob({ task: SYNC_REPO, key: syncRepoJobKey('acme', 'api'), payload: { org: 'acme', repo: 'api', since: '2026-01-01T00:00:00.000Z' }, attempts: 3, maxAttempts: 3, error: 'The token was rejected (401).', runAt: '2026-12-01T19:00:00.000Z' });
  const s = await status();
  expect(s.errors).toEqual(['Syncing the pull requests of acme/api failed 3 times and gave up: The token was rejected (401). Sync now tries again.']);
  expect(s.retryingJobs).toEqual([]);
  expect(s.failedJobs).toHaveLength(1);
});

it('a job waiting for its first try is no problem', async () => {
  await t.db.insertInto('jobs').values({ task: SYNC_ORG, key: syncOrgJobKey('acme'), payload: JSON.stringify({ org: 'acme' }), run_at: new Date().toISOString(), created_at: new Date().toISOString() }).execute();
  const s = await status();
  expect(s.errors).toEqual([]);
  expect(s.queued).toBe(1);
});
