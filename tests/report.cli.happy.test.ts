import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, dbArgsOf, type TestDb } from './harness.ts';
import { OrgBuilder, NOW, at } from './signals.fixture.ts';

// `guidepost report` as a leader runs it: sentences by default, the documented JSON with --json.

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/guidepost.js', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let t: TestDb;
let dbArgs: string[];
beforeAll(async () => {
  t = await createTestDb();
  const org = new OrgBuilder(t.db);
  await org.repo('api');
  for (const l of ['senior', 'newbie', 'lonely', 'peer']) await org.person(l);
  await org.pr({ author: 'senior', created: at(400), merged: at(399) });
  await org.pr({ author: 'peer', created: at(200), merged: at(199) });
  for (const d of [40, 30]) await org.review(await org.pr({ author: 'newbie', created: at(d), merged: at(d - 2) }), 'senior', 'CHANGES_REQUESTED', at(d - 1), { inline: 1 });
  for (const d of [35, 25, 15]) {
    const pr = await org.pr({ author: 'lonely', created: at(d), merged: at(d - 1) });
    if (d !== 15) await org.review(pr, 'peer', 'APPROVED', at(d, 5));
  }
  await t.db.destroy();
  dbArgs = dbArgsOf(t.config);
});
afterAll(async () => t.close().catch(() => undefined));

describe('guidepost report', () => {
  it('--json prints the documented shape with logins and hours', async () => {
    const r = await cli(['report', ...dbArgs, '--from', at(90).slice(0, 10), '--to', NOW.slice(0, 10), '--refresh', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ org: 'acme', from: `${at(90).slice(0, 10)}T00:00:00Z` });
    // The window ends where the synced history does (its newest event, one second past), not later.
    expect(j.to <= `${at(-1).slice(0, 10)}T00:00:00Z`).toBe(true);
    expect(j.asOf).toBe(j.to);
    expect(j.findings.every((f: { kind: string; text: string }) => f.kind && f.text)).toBe(true);
    expect(Object.keys(j.reviews)).toEqual(expect.arrayContaining(['prs', 'merged', 'mergedWithoutReview', 'coverage', 'timeToFirstReviewHours', 'gini', 'sharingIndex']));
    // Reviewed after 24, 24, 5 and 5 hours; the PR merged without review has no wait.
    expect(j.reviews.timeToFirstReviewHours).toMatchObject({ median: 14.5, p90: 24 });
    expect(j.reviews).toMatchObject({ prs: 5, merged: 5, mergedWithoutReview: 1, coverage: 0.8 });
    expect(j.mentoring.edges).toEqual([expect.objectContaining({ mentor: 'senior', mentee: 'newbie', weight: 4 })]);
    const lonely = j.mentoring.newcomers.find((n: { login: string }) => n.login === 'lonely');
    expect(lonely).toMatchObject({ firstPrAt: at(35), distinctReviewers: 1, mentors: [] });
    expect(lonely.gaps).toContainEqual({ kind: 'no_mentor', reason: '3 PRs, 2 reviewed, both approved without comment' });
    expect(j.byRepo).toBeUndefined();
    expect(j.mentoring.overloadedMentors).toEqual([]);
    expect(j.people.map((p: { login: string }) => p.login)).toEqual(['lonely', 'newbie', 'peer', 'senior']);
    expect(j.people.find((p: { login: string }) => p.login === 'senior')).toMatchObject({ reviewsGiven: 2, reviewsReceived: 0, substantiveReviewsGiven: 2, rubberStamps: 0, tier: expect.any(String) });
  });

  it('prints the findings as sentences by default', async () => {
    const r = await cli(['report', ...dbArgs, '--from', at(90).slice(0, 10), '--to', NOW.slice(0, 10)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Guidepost report for acme');
    expect(r.stdout).toContain('1 of 2 newcomers has no mentor: lonely (3 PRs, 2 reviewed, both approved without comment)');
    expect(r.stdout).toContain('1 of 5 merged PRs (20%) was merged without a review.');
  });

  it('bad dates and unknown filters are one clear line and exit code 1', async () => {
    const cases: [string[], string][] = [
      [['--from', '2026-05-01', '--to', '2026-04-01'], 'must be before'],
      [['--from', 'last tuesday'], 'YYYY-MM-DD'],
      [['--team', 'nope'], 'Unknown team "nope"'],
      [['--org', 'other'], 'Unknown org "other"'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['report', ...dbArgs, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a window outside the synced history says where the history is, in one line', async () => {
    const r = await cli(['report', ...dbArgs, '--from', '2020-01-01', '--to', '2020-02-01']);
    expect(r.code).toBe(1);
    const end = /the synced history runs from \d{4}-\d{2}-\d{2} to (\d{4}-\d{2}-\d{2})\. Pick a period that overlaps it\./.exec(r.stderr);
    expect(end, r.stderr).not.toBeNull();
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // The newest stored PR in this fixture was merged within days of NOW.
    expect(Date.parse(NOW) - Date.parse(end![1]!)).toBeLessThan(30 * 86_400_000);
  });
});
