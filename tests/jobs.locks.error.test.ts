import { describe, expect, it } from 'vitest';
import { parseConfig } from '../server/config.ts';
import { guidepost } from './cli.fixture.ts';

// The job lock timeout sets how long a job of a dead worker waits before another takes it over;
// heartbeats come every third of it, so below 30 s a busy database could make a live job look dead.

describe('GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS', () => {
  it('is ten minutes unless set, in seconds when set', () => {
    expect(parseConfig({}).jobLockTimeoutMs).toBe(600_000);
    expect(parseConfig({ GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS: '30' }).jobLockTimeoutMs).toBe(30_000);
  });

  it('below 30 is refused at start in one line saying why', { timeout: 60_000 }, async () => {
    const r = await guidepost(['serve', '--port', '0'], 30_000, { GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS: '10', GUIDEPOST_DATA_DIR: '/nonexistent/never-created' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'guidepost: Invalid configuration. GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS: must be at least 30 seconds: a running job refreshes its lock every third of it, and a shorter timeout lets a busy database make a live job look dead',
    ]);
    expect(() => parseConfig({ GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS: 'ten' })).toThrow(/GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS/);
  });
});
