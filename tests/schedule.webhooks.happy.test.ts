import { afterEach, describe, expect, it } from 'vitest';
import { saveConnection } from '../jobs/github/connect.ts';
import { orgsDueForSync } from '../jobs/schedule.ts';
import { createTestDb, type TestDb } from './harness.ts';

// Webhooks keep an org current; the scheduled sync of that org then only reconciles what the
// deliveries missed, once a day by default, which is where a webhook-fed day saves API units.

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const iso = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();
const DAY_MS = 24 * HOUR;

describe('which orgs a scheduled re-sync polls', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  async function plant(): Promise<void> {
    t = await createTestDb();
    for (const org of ['Fed', 'quiet', 'stale', 'silent'])
      await saveConnection(t.db, t.config, { org, apiUrl: 'http://127.0.0.1:9', auth: { kind: 'token', token: `ghp_${org.padEnd(36, 'x')}` } });
    const synced = (org: string, hoursAgo: number, status: 'done' | 'failed' = 'done') => ({ scope: `repo:${org}/app`, status, updated_at: iso(hoursAgo), bookmark: null, cursor: null, etag: null, progress: null, last_error: null });
    await t.db.insertInto('sync_state').values([synced('Fed', 3), synced('quiet', 3), synced('stale', 30), synced('silent', 0.5, 'failed')]).execute();
    const delivery = (id: string, org: string, hoursAgo: number, outcome: 'applied' | 'ignored' = 'applied') => ({ delivery_id: id, event: 'pull_request', action: 'opened', org, repo: `${org}/app`, received_at: iso(hoursAgo), outcome, error: null, raw_id: null });
    await t.db
      .insertInto('webhook_deliveries')
      // Fed: a delivery (org named in another case) after its last sync. quiet: only before it, and
      // an ignored one after. stale: deliveries, but its last sync is over a day old.
      .values([delivery('a', 'fed', 1), delivery('b', 'quiet', 5), delivery('c', 'quiet', 1, 'ignored'), delivery('d', 'stale', 1)])
      .execute();
  }

  it('skips an org webhooks keep current until its last sync is a day old; polls the others', async () => {
    await plant();
    expect(await orgsDueForSync(t.db, NOW, DAY_MS)).toEqual(['quiet', 'stale', 'silent']);
    // A day after Fed's last sync, it is reconciled.
    expect(await orgsDueForSync(t.db, NOW + 21 * HOUR, DAY_MS)).toEqual(['Fed', 'quiet', 'stale', 'silent']);
  });

  it('polls every org every interval when webhooks are off (no secret)', async () => {
    await plant();
    expect(await orgsDueForSync(t.db, NOW, null)).toEqual(['Fed', 'quiet', 'stale', 'silent']);
  });
});
