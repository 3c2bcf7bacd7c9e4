import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { tempDir } from './harness.ts';
import { SINCE } from './sync.fixture.ts';

// A spent rate limit makes `guidepost sync` wait for the reset, up to an hour on GitHub: the wait
// must be told with the reset time, never a silence. Stderr here is a pipe, as in CI: one plain
// line per wait.

describe('guidepost sync on a spent rate limit', { timeout: 180_000 }, () => {
  let sim: RunningSimulator;
  const dir = tempDir();
  beforeAll(async () => {
    // 6 requests (and 6 GraphQL points) an "hour", and an hour lasts 6 s: every reset is a wait of seconds.
    sim = await startSimulator({ seed: 4, scale: 'tiny', git: false, rateLimit: 6, clockSpeed: 600 });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    dir.cleanup();
  });

  function sync(api: RunningSimulator, dbName: string): Promise<{ code: number | null; stdout: string; stderr: string; lines: { line: string; at: number }[] }> {
    const child = spawn(process.execPath, ['bin/guidepost.js', 'sync', '--org', api.org.org.login, '--api-url', api.url, '--since', SINCE, '--db', join(dir.dir, dbName), '--no-knowledge'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, GITHUB_TOKEN: api.token, GUIDEPOST_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const lines: { line: string; at: number }[] = [];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const line of d.toString().split('\n').filter(Boolean)) lines.push({ line, at: Date.now() });
    });
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr, lines })));
  }

  it('says it waits for the budget to reset, with the reset time, and still ends well', async () => {
    const r = await sync(sim, 'paced.db');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`, ${sim.org.pulls.length} pull requests`);
    const waits = r.lines.filter((l) => l.line.includes('is spent; waiting until'));
    expect(waits.length, r.stderr).toBeGreaterThan(0);
    for (const w of waits) {
      const m = /^GitHub's API budget \((core|graphql)\) is spent; waiting until (\d\d):(\d\d):(\d\d) UTC \(in \d+ s\) for it to reset\.$/.exec(w.line);
      expect(m, w.line).not.toBeNull();
      // The reset it names is ahead of the moment it was said, by no more than the 6-s "hour" (and
      // the second GitHub's reset header rounds up to); counted in seconds of the day, round midnight.
      const ofDay = (h: number, min: number, sec: number) => h * 3600 + min * 60 + sec;
      const said = new Date(w.at);
      const ahead = (ofDay(Number(m![2]), Number(m![3]), Number(m![4])) - ofDay(said.getUTCHours(), said.getUTCMinutes(), said.getUTCSeconds()) + 86_400) % 86_400;
      expect(ahead, w.line).toBeGreaterThanOrEqual(1);
      expect(ahead, w.line).toBeLessThanOrEqual(8);
    }
    // One line per wait, not one per waiting request or per wake-up.
    expect(new Set(waits.map((w) => w.line.replace(/ \(in \d+ s\)/, ''))).size).toBe(waits.length);
  });

  it('says so too when another client spent the token first and GitHub refuses the first request', async () => {
    const spent = await startSimulator({ seed: 4, scale: 'tiny', git: false, rateLimit: 6, clockSpeed: 600 });
    try {
      for (let i = 0; i < 6; i++) await fetch(`${spent.url}/orgs/${spent.org.org.login}`, { headers: { authorization: `token ${spent.token}` } });
      const r = await sync(spent, 'refused.db');
      expect(r.code, r.stderr).toBe(0);
      expect(spent.stats().rejectedForLimit).toBeGreaterThan(0);
      // The refused request waits out its retry-after in the throttling plugin: told as it starts,
      // not seconds later when our own pacing next waits.
      const refused = r.lines.find((l) => l.line.includes('primary rate limit answered'));
      const first = r.lines.find((l) => l.line.includes('is spent; waiting until'));
      expect(first?.line, r.stderr).toMatch(/^GitHub's API budget \(core\) is spent; waiting until \d\d:\d\d:\d\d UTC \(in \d+ s\) for it to reset\.$/);
      expect(first!.at - refused!.at, r.stderr).toBeLessThan(1500);
    } finally {
      await spent.close();
    }
  });
});
