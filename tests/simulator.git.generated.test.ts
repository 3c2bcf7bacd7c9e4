import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../simulator/generate/index.ts';
import { buildRepos, serveGit } from '../simulator/git/index.ts';
import type { SimFileChange, SimOrg } from '../simulator/model.ts';

const run = promisify(execFile);
const git = async (args: string[], cwd?: string) => (await run('git', args, { cwd, timeout: 60_000, maxBuffer: 64 << 20 })).stdout;

describe('git repositories of a generated org', () => {
  let tmp: string;
  let org: SimOrg;
  let shas: Map<string, Map<string, string>>;
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'guidepost-git-'));
    org = generateOrg({ seed: 3, scale: 'tiny' });
    shas = await buildRepos(org, join(tmp, 'repos'));
    const app = new Hono();
    app.all('/git/:org/:repo{.+\\.git}/*', (c) => {
      const repo = c.req.param('repo').slice(0, -'.git'.length);
      return serveGit(c.req.raw, { reposRoot: join(tmp, 'repos'), repo, pathInfo: c.req.path.slice(`/git/${c.req.param('org')}/${repo}.git`.length) });
    });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/git/${org.org.login}`;
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has every merged PR as one squash commit with the model’s title, author, date and files', async () => {
    for (const repo of org.repos) {
      // A full clone here: -M on a blob-less clone would fetch blobs for inexact rename checks.
      const clone = join(tmp, `${repo.name}-clone.git`);
      await git(['clone', '--quiet', '--bare', `${base}/${repo.name}.git`, clone]);
      const out = await git(['-c', 'core.quotePath=false', 'log', '-M', '--name-status', '--format=%x1e%H%x1f%an%x1f%ae%x1f%at%x1f%s'], clone);
      const log = new Map(
        out.split('\x1e').filter(Boolean).map((block) => {
          const [head = '', ...files] = block.split('\n');
          const [sha = '', name, email, at, subject] = head.split('\x1f');
          return [sha, { name, email, time: Number(at), subject, files: files.filter(Boolean).sort() }] as const;
        }),
      );
      expect(log.size, repo.name).toBe(repo.commits.length);

      const merged = org.pulls.filter((p) => p.repo === repo.name && p.mergedAt);
      expect(merged.length).toBeGreaterThan(0);
      for (const pr of merged) {
        const squash = repo.commits.filter((c) => c.prNumber === pr.number);
        expect(squash, `${repo.name}#${pr.number}`).toHaveLength(1);
        const commit = squash[0]!;
        const entry = log.get(shas.get(repo.name)?.get(commit.id) ?? '');
        expect(entry, `${repo.name}#${pr.number}`).toEqual({
          name: commit.authorName,
          email: commit.authorEmail,
          time: Date.parse(pr.mergedAt!) / 1000,
          subject: `${pr.title} (#${pr.number})`,
          files: commit.changes.map(nameStatus).sort(),
        });
      }
    }
  });
});

function nameStatus(ch: SimFileChange): string {
  if (ch.kind === 'rename') return `R100\t${ch.from}\t${ch.path}`;
  return `${{ add: 'A', modify: 'M', delete: 'D' }[ch.kind]}\t${ch.path}`;
}
