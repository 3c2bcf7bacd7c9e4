import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'kysely';
import { startWebEnv, watch, screenshot, allowMissingRoutes, seedSimulatedOrg, overflowsSideways, lowContrast, type WebEnv } from './browser.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Report } from '../../server/signals/report.ts';
import { createApp } from '../../server/app.ts';

const run = promisify(execFile);
let env: WebEnv;
beforeAll(async () => {
  env = await startWebEnv();
}, 240_000);
afterAll(async () => {
  await env?.close();
}, 240_000);

/** Whether the app has a route, read from its route table (a POST would run it). */
function hasRoute(method: string, path: string): boolean {
  return createApp(env.server.deps).routes.some((r) => r.method === method && r.path === path);
}

test('a leader goes from the first run to the demo org, its overview, mentoring, knowledge, a person, and exports a table', async () => {
  const page = await env.context.newPage();
  const w = watch(page);
  await allowMissingRoutes(w, env.server.url, ['/connections', '/sync', '/repos']);
  const url = env.server.url;

  if (hasRoute('POST', '/api/demo')) {
    // First run: no org yet, so the welcome screen; the demo runs the real sync with progress.
    await page.goto(url + '/');
    await page.getByRole('button', { name: 'Explore the demo organisation' }).click();
    await page.getByRole('progressbar', { name: 'Sync progress' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'demo-progress');
    // When the sync is done the overview replaces the first-run screen by itself.
    await page.getByTestId('finding').first().waitFor({ timeout: 120_000 });
    expect(page.url()).toBe(url + '/');
    const derived = await env.server.deps.db.selectFrom('signal_people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(derived.n), 'the demo synced, but no signals were derived: the server must run the derive stage after each repo (jobs/derive/signals.derive.ts deriveAfterSync on sync.onRepoSynced)').toBeGreaterThan(0);
  } else {
    // No demo route on this server yet: the same pipeline, run in-process.
    await seedSimulatedOrg(env);
    await page.goto(url + '/');
  }

  // Overview: findings in sentences, each linking to its evidence; tiles with formulas.
  const overviewReq = page.waitForRequest((r) => r.url().includes('/api/overview?'));
  await page.goto(url + '/');
  const req = await overviewReq;
  const findings = page.getByTestId('finding');
  await findings.first().waitFor();
  expect(await findings.count()).toBeGreaterThan(0);
  await page.getByTestId('tile-coverage').waitFor();
  await page.locator('canvas').first().waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'overview');

  // The numbers on the tiles are `guidepost report --json`'s numbers for the same filters.
  const q = new URL(req.url()).searchParams;
  const cli = await run(process.execPath, ['bin/guidepost.js', 'report', '--json', '--db', env.server.deps.config.dbPath, '--from', q.get('from')!, '--to', q.get('to')!]);
  const report = JSON.parse(cli.stdout) as Report;
  const raw = async (id: string) => JSON.parse((await page.getByTestId(id).locator('[data-raw]').getAttribute('data-raw')) ?? 'null') as unknown;
  expect(await raw('tile-ttfr')).toEqual(report.reviews.timeToFirstReviewHours.median);
  expect(await raw('tile-coverage')).toEqual(report.reviews.coverage);
  expect(await raw('tile-sharing')).toEqual(report.reviews.sharingIndex);
  expect(await raw('tile-newcomers')).toEqual(report.mentoring.newcomersWithoutMentor.length);
  expect(report.findings.length).toBeGreaterThan(0);
  expect(await findings.first().locator('.text').textContent()).toBe(report.findings[0]);

  // Every tile explains its formula.
  await page.getByRole('button', { name: 'How Review coverage is computed', exact: true }).click();
  await expect(page.getByRole('note').textContent()).resolves.toContain('Merged PRs');

  // Mentoring: graph, gaps with reasons.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mentoring' }).click();
  await page.getByRole('heading', { name: 'Who mentors whom' }).waitFor();
  await page.getByRole('heading', { name: 'Gaps to close' }).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'mentoring');

  // Knowledge: repositories, truck factor, treemap.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge' }).click();
  await page.getByRole('heading', { name: 'Repositories' }).waitFor();
  await page.getByRole('heading', { name: 'Who knows which directory' }).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'knowledge');

  // Reviews: load without names, and who reviews whom across teams as a heat-map table.
  const matrixRes = page.waitForResponse((r) => r.url().includes('/api/review-matrix?'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await page.getByRole('heading', { name: 'How review work is spread' }).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'reviews');
  const window = (await (await matrixRes).json()) as { from: string; to: string };
  const matrix = page.getByRole('table', { name: /rows are the reviewers' team, columns the pull request authors' team/ });
  await matrix.waitFor();
  await matrix.scrollIntoViewIfNeeded();
  await page.locator('#matrix').screenshot({ path: 'docs/screenshots/reviews-matrix.png' });
  // The cells are the reviews counted straight from the signal tables, for teams of 3 or more.
  const sizes = await env.server.deps.db.selectFrom('signal_team_members').select(['slug', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('slug').execute();
  const shown = await env.server.deps.db.selectFrom('signal_teams').select(['slug', 'name']).where('slug', 'in', sizes.filter((x) => Number(x.n) >= 3).map((x) => x.slug)).orderBy('name').orderBy('slug').execute();
  expect(shown.length, 'the demo org has at least two teams of 3 or more').toBeGreaterThanOrEqual(2);
  const counts = await sql<{ r: string; a: string; n: number }>`
    select rt.slug as r, at.slug as a, count(*) as n from signal_review_facts f
    join signal_team_members rt on rt.person_id = f.reviewer_id join signal_team_members at on at.person_id = f.author_id
    where f.submitted_at >= ${window.from} and f.submitted_at < ${window.to} group by rt.slug, at.slug`.execute(env.server.deps.db);
  const count = (r: string, a: string) => Number(counts.rows.find((x) => x.r === r && x.a === a)?.n ?? 0);
  expect(await matrix.locator('thead th').allTextContents()).toEqual([expect.any(String), ...shown.map((t) => t.name)]);
  const cells = await matrix.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent!.replace(/,/g, '')))));
  expect(cells).toEqual(shown.map((r) => shown.map((a) => count(r.slug, a.slug))));
  expect(cells.flat().some((n) => n > 0)).toBe(true);
  const [matrixCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Who reviews whom across teams as CSV' }).click()]);
  const matrixLines = readFileSync((await matrixCsv.path())!, 'utf8').trim().split(/\r\n/);
  expect(matrixLines[0]).toBe('reviewerTeam,authorTeam,reviews');
  expect(matrixLines.slice(1).sort()).toEqual(shown.flatMap((r) => shown.map((a) => `${r.slug},${a.slug},${count(r.slug, a.slug)}`)).sort());

  // A person, reached on purpose from a mentoring pair.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mentoring' }).click();
  const pairs = page.getByRole('table', { name: 'Mentoring pairs' });
  const mentor = pairs.getByRole('link').first();
  const login = (await mentor.textContent())!.trim();
  await mentor.click();
  await page.waitForURL(`**/people/${login}**`);
  await page.getByRole('heading', { name: login, level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Guides' }).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'person');

  // Export: the mentees table as CSV and JSON, with what the page shows.
  const mentees = report.mentoring.edges.filter((e) => e.mentor === login);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export Mentees of ${login} as CSV` }).click()]);
  const csvText = readFileSync((await csv.path())!, 'utf8');
  const lines = csvText.trim().split(/\r\n/);
  expect(lines[0]).toBe('mentee,weight,substantiveReviews,inlineComments,lastAt');
  expect(lines.length - 1).toBe(mentees.length);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export Mentees of ${login} as JSON` }).click()]);
  const rows = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { mentee: string; weight: number }[];
  expect(rows.map((r) => [r.mentee, r.weight]).sort()).toEqual(mentees.map((e) => [e.mentee, e.weight]).sort());

  // Filters live in the URL: a shared link opens the same view.
  await page.goto(url + '/reviews?period=26w');
  await expect(page.getByLabel('Period').inputValue()).resolves.toBe('26w');

  await page.goto(url + '/brief');
  await page.getByRole('heading', { name: 'How the engineering team is doing' }).waitFor();
  await screenshot(page, 'brief');
  await page.goto(url + '/sync');
  await page.getByRole('heading', { name: 'Sync status' }).waitFor();
  await screenshot(page, 'sync');
  await page.goto(url + '/settings');
  await page.getByRole('heading', { name: 'Thresholds' }).waitFor();
  await screenshot(page, 'settings');

  expect(w.errors()).toEqual([]);
}, 240_000);

test('the overview, mentoring and reviews read well on a phone and in dark mode', async () => {
  const db = env.server.deps.db;
  const derived = await db.selectFrom('signal_people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(derived.n) === 0) await seedSimulatedOrg(env); // when run on its own
  const page = await env.context.newPage();
  const w = watch(page);
  const url = env.server.url;
  const views = [
    { path: '/', name: 'overview', ready: () => page.getByTestId('tile-coverage').locator('[data-raw]').waitFor() },
    { path: '/mentoring', name: 'mentoring', ready: () => page.getByRole('heading', { name: 'Gaps to close' }).waitFor() },
    { path: '/reviews', name: 'reviews', ready: () => page.getByTestId('review-matrix').waitFor() },
  ];
  const looks = [
    { suffix: '', viewport: { width: 1280, height: 800 }, colorScheme: 'light' as const }, // checked; its screenshots come from the flow above
    { suffix: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'light' as const },
    { suffix: 'dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' as const },
    { suffix: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
  ];
  for (const look of looks) {
    await page.setViewportSize(look.viewport);
    await page.emulateMedia({ colorScheme: look.colorScheme });
    for (const v of views) {
      await page.goto(url + v.path);
      await v.ready();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300); // charts draw when the browser is idle
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg, `${v.name} ${look.suffix}: the page follows the colour scheme`).toBe(look.colorScheme === 'dark' ? 'rgb(16, 21, 19)' : 'rgb(246, 247, 245)');
      expect(await overflowsSideways(page), `${v.name} ${look.suffix}: nothing pushes the page wider than the screen`).toBe(false);
      expect(await lowContrast(page), `${v.name} ${look.suffix}: text under WCAG AA contrast`).toEqual([]);
      if (look.suffix) await screenshot(page, `${v.name}-${look.suffix}`, { fullPage: look.viewport.width < 500 });
    }
  }
  expect(w.errors()).toEqual([]);
}, 240_000);
