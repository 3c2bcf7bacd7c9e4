import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveConnection } from '../jobs/github/connect.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { tempDir } from './harness.ts';
import { ADMIN_PASSWORD, VIEWER_PASSWORD, addUser, login, authServerConfig } from './security.harness.ts';
import { createApp } from '../server/app.ts';

// Issue 13, Auth: "An error that viewers can read through /api/sync shows the absolute path of
// secret.key". A sync that cannot read its token says what is wrong with the data directory's
// secret key and what to do, and names no path on the server's disk.

interface SyncStatus {
  errors: string[];
}

describe('a sync whose stored token the secret key cannot open', () => {
  let dir: { dir: string; cleanup: () => void };
  let server: RunningServer;
  let keyFile: string;
  let admin: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };

  beforeAll(async () => {
    dir = tempDir();
    const config = authServerConfig(dir.dir);
    server = await startServer(config);
    keyFile = join(config.dataDir, 'secret.key');
    await addUser(server.deps.db, 'vera', 'viewer', VIEWER_PASSWORD);
    // TEST SETUP: a connection saved with the key made on first use; nothing listens at the API URL.
    await saveConnection(server.deps.db, config, { org: 'acme', apiUrl: 'http://127.0.0.1:9', auth: { kind: 'token', token: `ghp_${'a'.repeat(36)}` } });
    const app = createApp(server.deps);
    admin = await login(app, 'admin', ADMIN_PASSWORD, server.url);
    viewer = await login(app, 'vera', VIEWER_PASSWORD, server.url);
  });
  afterAll(async () => {
    await server?.close();
    dir?.cleanup();
  });

  /** Sync now as the admin, then the status as the viewer sees it once the job gave up with `expected`. */
  async function syncAndRead(expected: RegExp): Promise<{ text: string; status: SyncStatus }> {
    const queued = await fetch(`${server.url}/api/sync`, { method: 'POST', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(queued.status).toBe(202);
    for (let tries = 0; tries < 100; tries++) {
      const res = await fetch(`${server.url}/api/sync`, { headers: { cookie: viewer.cookie } });
      expect(res.status).toBe(200);
      const text = await res.text();
      const status = JSON.parse(text) as SyncStatus;
      if (status.errors.some((e) => expected.test(e))) return { text, status };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no sync error matching ${expected} appeared`);
  }

  function expectNoPath(text: string): void {
    expect(text).not.toContain(dir.dir);
    expect(text).not.toContain('/secret.key');
    expect(text).not.toMatch(/(^|[\s"'(])\/(tmp|home|root|var|usr|private|Users)\//);
  }

  it('says the key is not a key, and what to do, with no path', async () => {
    writeFileSync(keyFile, 'not a key\n');
    const { text, status } = await syncAndRead(/32-byte/);
    expectNoPath(text);
    expect(status.errors.join('\n')).toMatch(/the data directory's secret key \(secret\.key\).*Restore it from the backup/i);
  });

  it('says the token no longer matches the key, and what to do, with no path', async () => {
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`);
    const { text, status } = await syncAndRead(/decrypted/);
    expectNoPath(text);
    expect(status.errors.join('\n')).toMatch(/GUIDEPOST_SECRET_KEY or the data directory's secret key.*connect the organisation again/);
  });

  it('says the key cannot be read, with no path', async () => {
    rmSync(keyFile);
    mkdirSync(keyFile);
    const { text } = await syncAndRead(/secret key \(secret\.key\) could not be read/);
    expectNoPath(text);
  });
});
