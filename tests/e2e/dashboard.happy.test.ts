import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'kysely';
import { startWebEnv, watch, screenshot, allowMissingRoutes, seedSimulatedOrg, overflowsSideways, lowContrast, type WebEnv } from './browser.ts';
import type { Route } from 'playwright-core';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Report } from '../../server/signals/report.ts';
import type { Brief } from '../../server/signals/brief.ts';
import type { FindingKind } from '../../server/signals/findings.ts';
import type { Formulas } from '../../server/signals/formulas.ts';
import { createApp } from '../../server/app.ts';

const run = promisify(execFile);
let env: WebEnv;
beforeAll(async () => {
  env = await startWebEnv();
}, 240_000);
afterAll(async () => {
  await env?.close();
}, 240_000);

/** Where a finding's evidence is, by its kind (the dashboard must never read it from the sentence). */
const EVIDENCE: Record<FindingKind, string | null> = {
  newcomers_without_mentor: '/mentoring#gaps',
  slow_first_review: '/mentoring#gaps',
  mentor_over_limit: '/mentoring#gaps',
  review_load_piles_up: '/reviews#load',
  load_concentrated: '/reviews#load',
  rubber_stamps: '/reviews#quality',
  merged_without_review: '/reviews#trends',
  time_to_first_review: '/reviews#trends',
  all_clear: null,
};

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

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
    // Once signals exist the overview replaces the first-run screen by itself, while the
    // sync goes on as a banner over the data.
    await page.getByTestId('finding').first().waitFor({ timeout: 120_000 });
    expect(page.url()).toBe(url + '/');
    // The figures compared below are the finished sync's: wait for its last job and derive.
    const until = Date.now() + 120_000;
    for (;;) {
      const s = await getJson<{ running: boolean; queued: number }>(`${url}/api/sync`);
      if (!s.running && s.queued === 0) break;
      expect(Date.now(), 'the demo sync did not finish within 2 minutes').toBeLessThan(until);
      await new Promise((r) => setTimeout(r, 250));
    }
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

  // Findings are the report's, in its order: its sentence, its severity, and a link chosen by kind.
  const listed = await findings.evaluateAll((els) =>
    els.map((e) => ({ kind: e.dataset.kind, severity: e.dataset.severity, text: e.querySelector('.text')?.textContent, link: e.querySelector('a')?.getAttribute('href') ?? null })),
  );
  expect(listed).toEqual(
    report.findings.slice(0, 3).map((f) => ({ kind: f.kind, severity: f.severity, text: f.text, link: EVIDENCE[f.kind] })),
  );
  if (report.findings.length > 3) {
    await page.getByRole('button', { name: `Show all ${report.findings.length} findings` }).click();
    await expect(findings.count()).resolves.toBe(report.findings.length);
  }

  // Every tile explains its formula, as GET /api/formulas states it.
  const { formulas } = await getJson<{ formulas: Formulas }>(url + '/api/formulas');
  await page.getByRole('button', { name: 'How Review coverage is computed', exact: true }).click();
  await expect(page.getByRole('note').textContent()).resolves.toBe(formulas.coverage);

  // A finding's link opens its evidence: the mentoring gaps, scrolled into view.
  const first = report.findings[0]!;
  const target = EVIDENCE[first.kind];
  if (target) {
    await findings.first().getByRole('link').click();
    await page.waitForURL((u) => u.pathname + u.hash === target);
    const id = target.split('#')[1]!;
    await page.locator(`#${id}`).waitFor();
    await expect.poll(() => page.evaluate((i) => Math.round(document.getElementById(i)!.getBoundingClientRect().top), id)).toBeLessThan(50);
    await page.goto(url + '/');
  }

  // Mentoring: graph, gaps with reasons.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mentoring' }).click();
  await page.getByRole('heading', { name: 'Who mentors whom' }).waitFor();
  await page.getByRole('heading', { name: 'Gaps to close' }).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'mentoring');
  // The pairs table's weight and tenure-gap columns explain themselves in their headers.
  await page.getByRole('button', { name: 'How Weight is computed' }).click();
  await expect(page.getByRole('note').textContent()).resolves.toBe(formulas.edgeWeight);
  await page.getByRole('button', { name: 'How Tenure gap (days) is computed' }).click();
  await expect(page.getByRole('note').last().textContent()).resolves.toBe(formulas.tenureGap);

  // Knowledge: repositories, truck factor, treemap.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge' }).click();
  await page.getByRole('heading', { name: 'Repositories' }).waitFor();
  await page.getByRole('heading', { name: 'Who knows which directory' }).waitFor();
  // Opened directly (a reload), the treemap still draws: it registers every Chart.js part it needs
  // itself. The line charts' code, which registers the same scale, is held back so it cannot help.
  let released: Promise<void> | undefined;
  const holdLines = (route: Route) =>
    (released = (async () => {
      await new Promise((r) => setTimeout(r, 2_000));
      await route.continue();
    })());
  await page.route('**/assets/line.draw-*.js', holdLines);
  await page.reload();
  await page.getByRole('heading', { name: 'Who knows which directory' }).waitFor();
  const treemap = page.getByRole('img', { name: /by how many people know them/ });
  await expect
    .poll(() => treemap.evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)), { timeout: 10_000 })
    .toBe(true);
  await released; // let the held code through before the route goes
  await page.unroute('**/assets/line.draw-*.js', holdLines);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  await screenshot(page, 'knowledge');

  // Reviews: load without names, and who reviews whom across teams as a heat-map table.
  const matrixRes = page.waitForResponse((r) => r.url().includes('/api/review-matrix?'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await page.getByRole('heading', { name: 'How review work is spread' }).waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'reviews');
  // The headline tiles are the report's numbers, each with its formula.
  await expect(raw('tile-cross-team')).resolves.toEqual(report.reviews.crossTeam.share);
  await expect(raw('tile-pending')).resolves.toEqual(report.reviews.pendingRequests);
  await expect(raw('tile-unreviewed')).resolves.toEqual(report.reviews.mergedWithoutReview);
  for (const [label, key] of [['Across teams', 'crossTeam'], ['Open review requests', 'pendingRequests'], ['Waiting for a first review', 'waiting']] as const) {
    await page.getByRole('button', { name: `How ${label} is computed`, exact: true }).click();
    await expect(page.getByTestId(`tile-${{ crossTeam: 'cross-team', pendingRequests: 'pending', waiting: 'waiting' }[key]}`).getByRole('note').textContent()).resolves.toBe(formulas[key]);
  }
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

  // A repository's page follows the period, and picking another repository opens that one's page.
  const DAY = 86_400_000;
  const repoNames = (await getJson<{ repos: { name: string }[] }>(url + '/api/repos')).repos.map((r) => r.name);
  expect(repoNames.length).toBeGreaterThanOrEqual(2);
  const [repoA, repoB] = repoNames as [string, string];
  await page.goto(`${url}/repos/${repoA}`);
  await page.getByRole('heading', { name: repoA.split('/')[1], level: 1, exact: true }).waitFor();
  await page.getByTestId('repo-tf').waitFor();
  await expect(page.getByLabel('Repository').inputValue()).resolves.toBe(repoA);
  await page.waitForTimeout(300);
  await screenshot(page, 'repo');
  const repoReq = page.waitForRequest((r) => r.url().startsWith(`${url}/api/repos/${repoA}?`));
  await page.getByLabel('Period').selectOption('4w');
  const rq = new URL((await repoReq).url()).searchParams;
  expect(Date.parse(rq.get('to')!) - Date.parse(rq.get('from')!), 'four weeks, both ends included').toBe(27 * DAY);
  const day = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  await expect.poll(() => page.locator('.ph p').first().textContent()).toBe(`${repoA} · ${day(rq.get('from')!)} – ${day(rq.get('to')!)}`);
  const repoBReq = page.waitForRequest((r) => r.url().startsWith(`${url}/api/repos/${repoB}?`));
  await page.getByLabel('Repository').selectOption(repoB);
  await page.waitForURL(`${url}/repos/${repoB}?period=4w`);
  await page.getByRole('heading', { name: repoB.split('/')[1], level: 1, exact: true }).waitFor();
  expect(new URL((await repoBReq).url()).searchParams.get('from')).toBe(rq.get('from'));
  // "All repositories" leaves the repository's page for the overview, keeping the period.
  await page.getByLabel('Repository').selectOption('');
  await page.waitForURL(`${url}/?period=4w`);
  await page.getByTestId('finding').first().waitFor();

  // A team's page likewise: named by its display name, following the period and the team picked.
  const teamList = (await getJson<{ teams: { slug: string; name: string; members: number }[] }>(url + '/api/teams')).teams.filter((t) => t.members >= 3);
  expect(teamList.length).toBeGreaterThanOrEqual(2);
  const [teamA, teamB] = teamList as [(typeof teamList)[number], (typeof teamList)[number]];
  await page.goto(`${url}/teams/${teamA.slug}`);
  await page.getByRole('heading', { name: teamA.name, level: 1, exact: true }).waitFor();
  await expect(page.getByLabel('Team').inputValue()).resolves.toBe(teamA.slug);
  await page.locator('.tile [data-raw]').first().waitFor();
  await page.locator('canvas').first().waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, 'team');
  const teamReq = page.waitForRequest((r) => r.url().startsWith(`${url}/api/teams/${teamA.slug}?`));
  await page.getByLabel('Period').selectOption('4w');
  expect(new URL((await teamReq).url()).searchParams.get('from')).toBe(rq.get('from'));
  const teamBReq = page.waitForRequest((r) => r.url().startsWith(`${url}/api/teams/${teamB.slug}?`));
  await page.getByLabel('Team').selectOption(teamB.slug);
  await page.waitForURL(`${url}/teams/${teamB.slug}?period=4w`);
  await page.getByRole('heading', { name: teamB.name, level: 1, exact: true }).waitFor();
  expect(new URL((await teamBReq).url()).searchParams.get('from')).toBe(rq.get('from'));

  // The brief is the server's, for the dashboard's own period and scope, with the period in words.
  const briefReq = page.waitForRequest((r) => r.url().startsWith(`${url}/api/brief?`));
  await page.goto(url + '/brief?period=26w');
  const bq = new URL((await briefReq).url()).searchParams;
  expect(bq.get('to'), 'the window ends where the overview’s does').toBe(q.get('to'));
  expect(Date.parse(bq.get('to')!) - Date.parse(bq.get('from')!), '26 weeks, both ends included').toBe((26 * 7 - 1) * DAY);
  await page.getByRole('heading', { name: 'How the engineering team is doing' }).waitFor();
  const brief = await getJson<Brief>(`${url}/api/brief?${bq}`);
  await expect(page.getByTestId('brief-period').textContent()).resolves.toMatch(/^\s*From \d{1,2} [A-Z][a-z]{2} \d{4} to \d{1,2} [A-Z][a-z]{2} \d{4}, compared with the \d+ days before\.\s*$/);
  const items = (heading: string) => page.locator('section', { has: page.getByRole('heading', { name: heading }) }).locator('li').allTextContents();
  await expect(items('What is going well')).resolves.toEqual(brief.goingWell);
  await expect(items('Where people need guidance')).resolves.toEqual(brief.needsGuidance);
  expect(brief.needsGuidance.length + brief.goingWell.length).toBeGreaterThan(0);
  expect(brief.changes.length, 'the demo history reaches back past the period before').toBeGreaterThan(0);
  const rowsShown = await page.getByTestId('brief-changes').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
  expect(rowsShown).toEqual(brief.changes.map((c) => [c.what, c.before, c.now, c.direction]));
  // Worse is amber, never red; better is the good colour.
  const colours = await page.getByTestId('brief-changes').evaluate((table) => {
    const probe = (v: string) => {
      const el = document.createElement('span');
      el.style.color = `var(${v})`;
      table.append(el);
      const c = getComputedStyle(el).color;
      el.remove();
      return c;
    };
    const cells = [...table.querySelectorAll('td.dir')].map((td) => getComputedStyle(td).color);
    return { cells, warn: probe('--warn'), good: probe('--good'), muted: probe('--muted'), bad: probe('--bad') };
  });
  expect(colours.cells).toEqual(brief.changes.map((c) => (c.direction === 'worse' ? colours.warn : c.direction === 'better' ? colours.good : colours.muted)));
  expect(colours.cells).not.toContain(colours.bad);
  await expect(page.locator('footer').textContent()).resolves.toBe(brief.footer);
  expect(brief.names).toBe(false);
  await screenshot(page, 'brief');

  await page.goto(url + '/sync');
  await page.getByRole('heading', { name: 'Sync status' }).waitFor();
  await screenshot(page, 'sync');
  await page.goto(url + '/settings');
  await page.getByRole('heading', { name: 'Thresholds' }).waitFor();
  await screenshot(page, 'settings');

  // Settings: the brief names people only when asked to, and saved thresholds show in every (i).
  const setSettings = async (lines: string, names: boolean) => {
    await page.getByLabel('Rubber-stamp size (changed lines)').fill(lines);
    await page.getByLabel('Name people in the brief').setChecked(names);
    await page.getByRole('button', { name: 'Save settings' }).click();
    // The recompute runs as a job; the page says when it is done.
    await page.getByRole('status').filter({ hasText: 'Saved. Every signal is recomputed' }).waitFor({ timeout: 60_000 });
  };
  await expect(page.getByLabel('Name people in the brief').isChecked()).resolves.toBe(false);
  await setSettings('250', true);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await page.getByRole('button', { name: 'How Reviews is computed', exact: true }).click();
  await expect.poll(() => page.getByTestId('tile-reviews').getByRole('note').textContent()).toContain('more than 250 changed lines');
  const named = await getJson<Brief>(`${url}/api/brief`);
  expect(named.names).toBe(true);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'One-page brief' }).click();
  await expect(page.locator('footer').textContent()).resolves.toBe(named.footer);
  await page.goto(url + '/settings');
  await setSettings('200', false);
  expect((await getJson<Brief>(`${url}/api/brief`)).names).toBe(false);

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
