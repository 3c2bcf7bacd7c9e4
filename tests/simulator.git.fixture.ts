// Shared by the simulated-git tests: a temp folder for repositories and clones, and a loopback
// HTTP server for git's smart protocol whose routes each test writes the way it needs.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

export interface GitHost {
  /** The temp folder, removed on close. */
  tmp: string;
  /** URL of the org `acme`'s repositories: `${base}/api.git`. */
  base: string;
  close(): Promise<void>;
}

/** Makes the temp folder, lets `mount` add the /git routes (they may read repos under it), and listens on a free port. */
export async function startGitHost(mount: (app: Hono, tmp: string) => void): Promise<GitHost> {
  const tmp = mkdtempSync(join(tmpdir(), 'guidepost-git-'));
  const app = new Hono();
  mount(app, tmp);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return {
    tmp,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/git/acme`,
    async close() {
      await new Promise((r) => server.close(r));
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
