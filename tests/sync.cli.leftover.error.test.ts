import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { tempDir } from './harness.ts';
import { SINCE } from './sync.fixture.ts';

// A `guidepost sync` killed mid-way leaves jobs in the queue. The next sync must never run them
// against the API (or the clone URLs) of the earlier run: jobs name an org, not a URL, and a CLI
// runs the jobs of the org it was asked to sync, on the API it was given.

const ROOT = join(import.meta.dirname, '..');

function sync(o: { sim: RunningSimulator; org: string; dbPath: string; dataDir: string }): ChildProcess {
  return spawn(process.execPath, ['bin/guidepost.js', 'sync', '--org', o.org, '--api-url', o.sim.url, '--since', SINCE, '--db', o.dbPath, '--data-dir', o.dataDir], {
    cwd: ROOT,
    env: { ...process.env, GITHUB_TOKEN: o.sim.token, GUIDEPOST_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

function rows<T>(dbPath: string, query: string): T[] {
  if (!existsSync(dbPath)) return [];
  const db = new SQLite(dbPath, { readonly: true, timeout: 5_000 });
  try {
    return db.prepare(query).all() as T[];
  } catch {
    return []; // not migrated yet
  } finally {
    db.close();
  }
}

describe('a CLI sync after one that was killed', { timeout: 240_000 }, () => {
  const dir = tempDir();
  const sims: RunningSimulator[] = [];
  afterAll(async () => {
    for (const s of sims) await s.close().catch(() => {});
    dir.cleanup();
  });

  it('never calls the killed run’s API: another org’s jobs wait, and its own org resumes on the new URL', async () => {
    const dbPath = join(dir.dir, 'guidepost.db');
    const dataDir = join(dir.dir, 'data');
    // Latency keeps the first sync busy long enough to be killed with knowledge jobs queued.
    const first = await startSimulator({ seed: 5, scale: 'tiny', latencyMs: 40 });
    sims.push(first);
    const org = first.org.org.login;
    const child = sync({ sim: first, org, dbPath, dataDir });
    const exit = finished(child);
    const deadline = Date.now() + 90_000;
    const leftover = `select key from jobs where key like 'git.repo_knowledge:${org}/%' or key like 'github.sync_repo:${org}/%'`;
    while (child.exitCode === null && Date.now() < deadline && rows(dbPath, "select key from jobs where task = 'git.repo_knowledge'").length === 0) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exit;
    const left = rows<{ key: string }>(dbPath, leftover);
    expect(left.length, 'the killed sync left jobs of its org').toBeGreaterThan(0);
    // The first run's API goes away, as a demo simulator does with its process.
    await first.close();

    // Another org on another API: its sync ends promptly and cleanly, and the first org's jobs
    // are left as they were (not run with this token, not failed against the dead URL).
    const other = await startSimulator({ seed: 6, scale: 'tiny' });
    sims.push(other);
    expect(other.org.org.login).not.toBe(org);
    const r = await finished(sync({ sim: other, org: other.org.org.login, dbPath, dataDir }));
    expect(r.stderr).not.toMatch(/warning/);
    expect(r.stderr).not.toContain(first.url);
    expect(r.code, r.stderr).toBe(0);
    const waiting = rows<{ key: string; attempts: number; last_error: string | null }>(dbPath, leftover.replace('select key', 'select key, attempts, last_error'));
    expect(waiting.map((j) => j.key).sort()).toEqual(left.map((j) => j.key).sort());
    expect(waiting.every((j) => j.attempts === 0 && j.last_error === null)).toBe(true);

    // The first org again, on the same history served at a new URL: the leftover jobs resume
    // there, so every repository gets its knowledge and nothing calls the dead URL.
    const again = await startSimulator({ seed: 5, scale: 'tiny' });
    sims.push(again);
    expect(again.url).not.toBe(first.url);
    const back = await finished(sync({ sim: again, org, dbPath, dataDir }));
    expect(back.stderr).not.toMatch(/warning|knowledge unavailable/);
    expect(back.code, back.stderr).toBe(0);
    expect(rows(dbPath, leftover)).toEqual([]);
    const known = rows<{ full_name: string }>(dbPath, `select r.full_name from knowledge_repos k join repos r on r.id = k.repo_id where r.owner = '${org}'`);
    expect(known.length).toBe(again.org.repos.length);
  });
});
