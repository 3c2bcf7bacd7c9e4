import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentServer } from './network.fixture.ts';
import { cloneOrFetch, repoGitDir } from '../jobs/git/clone.ts';
import { updateRepoHistory } from '../jobs/git/knowledge.job.ts';
import { isPermanent } from '../jobs/github/errors.ts';
import { repoKnowledgeJobKey } from '../jobs/github/sync.ts';
import { AppError } from '../server/errors.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestApp, createTestDb, dbArgsOf, tempDir, type TestDb } from './harness.ts';
import { SINCE } from './sync.fixture.ts';

// "A repo that cannot be cloned holds the CLI sync for 8.5 minutes, or forever" (issue 13,
// defect 3): git servers that accept and never answer, or trickle without end, must cost a
// bounded time; a repo whose clone keeps failing loses its knowledge, not its pull requests,
// and not the sync.

const ROOT = join(import.meta.dirname, '..');


/** Answers the ref advertisement with 5 KB/s of padding that never ends: fast enough for git's low-speed check. */
async function tricklingServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createHttpServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-advertisement' });
    const tick = setInterval(() => res.write('#'.repeat(500)), 100);
    req.socket.on('close', () => clearInterval(tick));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Processes (git, git-remote-http) whose command line names `needle`; Linux only, [] elsewhere. */
function processesNaming(needle: string): string[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(needle)) found.push(`${pid}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('git against servers that hold a clone', () => {
  const tmp = tempDir();
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let trickling: Awaited<ReturnType<typeof tricklingServer>>;
  beforeAll(async () => {
    silent = await silentServer();
    trickling = await tricklingServer();
  });
  afterAll(async () => {
    await silent?.close();
    await trickling?.close();
    tmp.cleanup();
  });

  it('a server that accepts and never answers: the clone fails after the low-speed time, naming the repo, and leaves no half-made clone', { timeout: 20_000 }, async () => {
    const dataDir = join(tmp.dir, 'silent');
    const started = performance.now();
    const err = await cloneOrFetch({ owner: 'acme', name: 'api', cloneUrl: `http://127.0.0.1:${silent.port}/acme/api.git`, dataDir, timeouts: { lowSpeedSeconds: 2, totalMs: 60_000 } }).catch((e: unknown) => e);
    const ms = performance.now() - started;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/^Could not clone acme\/api: .*too slow/i);
    expect(ms).toBeGreaterThan(1_500); // it waited for the low-speed window, and only that
    expect(ms).toBeLessThan(8_000);
    expect(existsSync(repoGitDir(dataDir, 'acme', 'api'))).toBe(false);
  });

  it('a server that trickles without end: the total limit kills git and its transport helper, and says so', { timeout: 20_000 }, async () => {
    const dataDir = join(tmp.dir, 'trickling');
    const url = `http://127.0.0.1:${trickling.port}/acme/web.git`;
    const started = performance.now();
    const pending = cloneOrFetch({ owner: 'acme', name: 'web', cloneUrl: url, dataDir, timeouts: { lowSpeedSeconds: 30, totalMs: 2_000 } }).catch((e: unknown) => e);
    // git-remote-http, a grandchild, holds the connection: the kill must reach it too.
    expect(await waitUntil(() => processesNaming(url).length > 0 || !existsSync('/proc/self'), 1_500)).toBe(true);
    const err = await pending;
    expect(performance.now() - started).toBeLessThan(6_000);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe('Could not clone acme/web: git clone was stopped after 2 s, its time limit');
    expect(await waitUntil(() => processesNaming(url).length === 0, 2_000), processesNaming(url).join('\n')).toBe(true);
    expect(existsSync(repoGitDir(dataDir, 'acme', 'web'))).toBe(false);
  });

  it('a stalled clone marks the repo knowledge-unavailable at the first try: a retry at once would only wait as long again', { timeout: 20_000 }, async () => {
    const t = await createTestDb();
    try {
      // TEST SETUP, standing in for the GitHub sync: the repo row as it stores it.
      await t.db.insertInto('repos').values({ id: 1, owner: 'acme', name: 'api', full_name: 'acme/api', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
      const err = await updateRepoHistory(t.db, { repoId: 1, cloneUrl: `http://127.0.0.1:${silent.port}/acme/api.git`, dataDir: t.dir, timeouts: { lowSpeedSeconds: 1 }, lastAttempt: false }).catch((e: unknown) => e);
      expect(isPermanent(err)).toBe(true);
      expect((err as Error).message).toMatch(/^knowledge unavailable: Could not clone acme\/api: .*too slow/i);
      const state = await t.db.selectFrom('sync_state').selectAll().where('scope', '=', 'git:acme/api').executeTakeFirstOrThrow();
      expect(state.status).toBe('failed');
      expect(state.last_error).toBe((err as Error).message);
    } finally {
      await t.close();
    }
  });
});

describe('a CLI sync of an org with one repo whose clone always fails', () => {
  let sim: RunningSimulator;
  let t: TestDb;
  let broken: string;
  let brokenDir: string;
  const reposRoot = tempDir('guidepost-sim-git-');
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, scale: 'tiny', git: true, reposRoot: reposRoot.dir });
    t = await createTestDb();
    broken = sim.org.repos[0]!.name;
    // The simulated GitHub answers "Repository not found" for a repository it has no git for.
    brokenDir = join(reposRoot.dir, `${broken}.git`);
    renameSync(brokenDir, `${brokenDir}.away`);
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    await t?.close();
    reposRoot.cleanup();
  });

  async function sync(): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/guidepost.js', 'sync', '--org', sim.org.org.login, '--api-url', sim.url, '--since', SINCE, ...dbArgsOf(t.config), '--data-dir', t.dir], {
      cwd: ROOT,
      env: { ...process.env, GITHUB_TOKEN: sim.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Bounded: before the fix this sync waited 1 + 2 + … + 256 s between ten tries.
    const kill = setTimeout(() => child.kill('SIGKILL'), 75_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('close', r));
    clearTimeout(kill);
    return { code, stdout, stderr, ms: performance.now() - started };
  }
  const repoId = async (name: string) => (await t.db.selectFrom('repos').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

  it('finishes within a minute with its pull requests stored, marked knowledge-unavailable with the reason, and says so', { timeout: 90_000 }, async () => {
    const r = await sync();
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms, r.stderr).toBeLessThan(60_000);
    const full = `${sim.org.org.login}/${broken}`;

    const pulls = await t.db.selectFrom('pull_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('repo_id', '=', await repoId(broken)).executeTakeFirstOrThrow();
    expect(Number(pulls.n)).toBe(sim.org.pulls.filter((p) => p.repo === broken).length);
    expect(Number(pulls.n)).toBeGreaterThan(0);

    const state = await t.db.selectFrom('sync_state').selectAll().where('scope', '=', `git:${full}`).executeTakeFirstOrThrow();
    expect(state.status).toBe('failed');
    expect(state.last_error).toMatch(new RegExp(`^knowledge unavailable: Could not clone ${full}: .*not found`, 'i'));
    // A few quick tries, not ten over eight minutes.
    const job = await t.db.selectFrom('jobs').select(['attempts', 'max_attempts']).where('key', '=', repoKnowledgeJobKey(full)).executeTakeFirstOrThrow();
    expect(job).toEqual({ attempts: 3, max_attempts: 3 });

    // The other repos were cloned and their knowledge computed.
    const known = await t.db.selectFrom('knowledge_repos').innerJoin('repos', 'repos.id', 'knowledge_repos.repo_id').select('repos.name').execute();
    expect(known.map((k) => k.name).sort()).toEqual(sim.org.repos.map((x) => x.name).filter((n) => n !== broken).sort());

    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:') && l.includes('knowledge unavailable'));
    expect(warnings.length, r.stderr).toBeGreaterThan(0);
    expect(warnings.every((l) => l.includes(full))).toBe(true);
    // Said in words, not as the job's JSON payload.
    expect(warnings.every((l) => !l.includes('{'))).toBe(true);

    const status = (await (await createTestApp(t).request('http://127.0.0.1/api/sync')).json()) as { errors: string[] };
    expect(status.errors.some((e) => e.includes(`knowledge unavailable: Could not clone ${full}`)), status.errors.join('\n')).toBe(true);
  });

  it('the next sync tries the repo again: once it can be cloned, its knowledge is computed and the mark is gone', { timeout: 90_000 }, async () => {
    renameSync(`${brokenDir}.away`, brokenDir);
    const r = await sync();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('knowledge unavailable');
    const id = await repoId(broken);
    expect(await t.db.selectFrom('knowledge_repos').select('repo_id').where('repo_id', '=', id).executeTakeFirst()).toEqual({ repo_id: id });
    const state = await t.db.selectFrom('sync_state').selectAll().where('scope', '=', `git:${sim.org.org.login}/${broken}`).executeTakeFirstOrThrow();
    expect(state).toMatchObject({ status: 'done', last_error: null });
    const status = (await (await createTestApp(t).request('http://127.0.0.1/api/sync')).json()) as { errors: string[] };
    expect(status.errors).toEqual([]);
  });
});
