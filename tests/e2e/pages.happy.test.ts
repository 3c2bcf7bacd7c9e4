// Every page of the dashboard opened straight from its address (a shared link, a bookmark) and
// then reloaded, on the demo org: no page error, no console error, no failing API answer, its
// data shown and every chart drawn. And the one-page brief: the dashboard's own period, said in
// words, and nobody named in it unless Settings asks for names.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Locator, Page, Request } from 'playwright-core';
import { startWebEnv, startDemoOrg, watch, canvases, type WebEnv } from './browser.ts';

const WAIT = 20_000; // the longest any one wait may take
const DAY = 86_400_000;

let env: WebEnv;
/** What the demo org holds, read through the API: the pages below are chosen from it. */
let org: { dataEnd: string; login: string; team: { slug: string; name: string }; repo: string; knowledgeRepo: string };

beforeAll(async () => {
  env = await startWebEnv();
  await startDemoOrg(env);
  const url = env.server.url;
  const sync = await getJson<{ dataEnd: string }>(url + '/api/sync');
  const mentoring = await getJson<{ edges: { mentor: string; mentee: string }[] }>(`${url}/api/mentoring`);
  const teams = (await getJson<{ teams: { slug: string; name: string; members: number }[] }>(url + '/api/teams')).teams;
  const knowledge = (await getJson<{ repos: { repo: string; analysed: boolean }[] }>(url + '/api/knowledge')).repos.filter((r) => r.analysed);
  const team = teams.find((t) => t.members >= 3);
  if (!mentoring.edges[0] || !team || knowledge.length < 2) throw new Error('the demo org should have a mentoring pair, a team of 3 or more and two analysed repositories');
  // A mentor has weekly activity (the person page's chart); ?r= names the knowledge page's
  // repository, here the last one listed.
  org = { dataEnd: sync.dataEnd, login: mentoring.edges[0].mentor, team, repo: knowledge[0]!.repo, knowledgeRepo: knowledge.at(-1)!.repo };
}, 240_000);

afterAll(async () => {
  await env?.close();
}, 60_000);

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

interface PageCase {
  name: string;
  path: () => string;
  /** Resolves once the page's data is on screen. */
  ready: (page: Page) => Promise<unknown>;
  /** Pages with charts must draw at least this many. */
  charts?: number;
}

const heading = (page: Page, name: string, level?: number): Locator => page.getByRole('heading', { name, exact: true, ...(level ? { level } : {}) });
const visible = (l: Locator) => l.first().waitFor({ timeout: WAIT });
const repoName = () => org.repo.split('/')[1]!;

/** The filters the dashboard puts in the address bar: a period and an explicit end. */
const filters = () => `period=26w&to=${org.dataEnd.slice(0, 10)}`;

const PAGES: PageCase[] = [
  {
    name: 'the overview',
    path: () => `/?${filters()}`,
    ready: (p) => Promise.all([visible(p.getByTestId('finding')), visible(p.getByTestId('tile-coverage').locator('[data-raw]')), visible(p.locator('#trends'))]),
    charts: 3,
  },
  {
    name: 'the overview with no filters',
    path: () => '/',
    ready: (p) => Promise.all([visible(p.getByTestId('finding')), visible(p.locator('#trends'))]),
    charts: 3,
  },
  {
    name: 'reviews',
    path: () => `/reviews?${filters()}`,
    ready: (p) => Promise.all([visible(heading(p, 'How review work is spread')), visible(p.getByTestId('review-matrix')), visible(p.locator('#trends'))]),
    charts: 1,
  },
  {
    name: 'the review matrix section',
    path: () => `/reviews?${filters()}#matrix`,
    ready: async (p) => {
      await visible(p.getByTestId('review-matrix'));
      // The address's #matrix brings the section to the top of the window once the page has
      // drawn (or as far as the page scrolls: it is the last section).
      const where = () =>
        p.evaluate(() => {
          const top = Math.round(document.getElementById('matrix')!.getBoundingClientRect().top);
          const atBottom = scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
          return top >= -2 && (top < 50 || (atBottom && top < innerHeight / 2)) ? 'in view' : `#matrix is ${top}px below the window's top, scrolled ${Math.round(scrollY)} of ${document.documentElement.scrollHeight - innerHeight}px`;
        });
      await expect.poll(where, { timeout: WAIT }).toBe('in view');
    },
    charts: 1,
  },
  {
    name: 'mentoring',
    path: () => `/mentoring?${filters()}`,
    ready: (p) => Promise.all([visible(heading(p, 'Who mentors whom')), visible(heading(p, 'Gaps to close')), visible(p.getByRole('table', { name: 'Mentoring pairs' }))]),
    charts: 1,
  },
  {
    name: 'knowledge',
    path: () => `/knowledge?${filters()}`,
    ready: (p) => Promise.all([visible(heading(p, 'Repositories')), visible(heading(p, 'Who knows which directory')), visible(p.getByTestId('repo-tf'))]),
    charts: 1,
  },
  {
    name: "one repository's knowledge",
    path: () => `/knowledge?${filters()}&r=${encodeURIComponent(org.knowledgeRepo)}`,
    ready: (p) => Promise.all([visible(heading(p, org.knowledgeRepo, 2)), visible(heading(p, 'Who knows which directory')), visible(p.getByTestId('repo-tf'))]),
    charts: 1,
  },
  {
    name: 'a person',
    path: () => `/people/${encodeURIComponent(org.login)}?${filters()}`,
    ready: (p) => Promise.all([visible(heading(p, org.login, 1)), visible(heading(p, 'Guides')), visible(heading(p, 'Week by week'))]),
    charts: 1,
  },
  {
    name: 'a team',
    path: () => `/teams/${encodeURIComponent(org.team.slug)}?${filters()}`,
    ready: (p) => Promise.all([visible(heading(p, org.team.name, 1)), visible(p.locator('.tile [data-raw]')), visible(p.locator('#trends'))]),
    charts: 1,
  },
  {
    name: 'a repository',
    path: () => `/repos/${org.repo}?${filters()}`,
    ready: (p) => Promise.all([visible(heading(p, repoName(), 1)), visible(p.getByTestId('repo-tf')), visible(heading(p, 'Who knows which directory'))]),
    charts: 1,
  },
  {
    name: 'the brief',
    path: () => `/brief?${filters()}`,
    ready: (p) => Promise.all([visible(heading(p, 'How the engineering team is doing')), visible(p.getByTestId('brief-period')), visible(p.locator('footer'))]),
  },
  { name: 'sync status', path: () => '/sync', ready: (p) => Promise.all([visible(heading(p, 'Sync status', 1)), visible(heading(p, 'Last sync'))]) },
  { name: 'connections', path: () => '/connections', ready: (p) => Promise.all([visible(heading(p, 'Connections', 1)), visible(p.getByTestId('connection'))]) },
  { name: 'settings', path: () => '/settings', ready: (p) => Promise.all([visible(heading(p, 'Thresholds')), visible(p.getByLabel('Name people in the brief'))]) },
  { name: 'the welcome screen', path: () => '/welcome', ready: (p) => visible(heading(p, 'Where does your team need guidance?')) },
  { name: 'the login screen', path: () => '/login', ready: (p) => visible(p.getByRole('heading', { level: 1 })) },
  { name: 'an unknown address', path: () => '/no-such-page', ready: (p) => visible(heading(p, 'Nothing here')) },
];

/** Waits for the page's data and its charts, then says what is wrong with this load. */
async function check(page: Page, c: PageCase, what: string): Promise<void> {
  await c.ready(page).catch((err: unknown) => {
    throw new Error(`${what}: not ready: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  // Nothing still loading, nothing in flight.
  await expect.poll(() => page.locator('main').getByText('Loading…', { exact: true }).count(), { timeout: WAIT, message: `${what}: still loading` }).toBe(0);
  await page.waitForLoadState('networkidle', { timeout: WAIT });
  expect(await page.locator('main [role="alert"]').allTextContents(), `${what}: error notices on the page`).toEqual([]);
  // Charts draw once the page has painted and the browser is idle: wait for every one, bounded.
  const undrawn = async () => (await canvases(page)).filter((x) => !(x.width > 0 && x.height > 0 && x.drawn));
  await expect.poll(undrawn, { timeout: WAIT, message: `${what}: charts with no size or nothing drawn` }).toEqual([]);
  const count = (await canvases(page)).length;
  if (c.charts) expect(count, `${what}: charts on the page`).toBeGreaterThanOrEqual(c.charts);
}

test.each(PAGES.map((c) => [c.name, c] as const))('%s opens from its address and reloads with no error and every chart drawn', async (_, c) => {
  const url = env.server.url + c.path();
  const page = await env.context.newPage();
  try {
    const w = watch(page);
    await page.goto(url, { timeout: WAIT });
    await check(page, c, `opened ${url}`);
    expect(w.errors(), `opened ${url}: page errors, console errors and failed responses`).toEqual([]);
    await page.reload({ timeout: WAIT });
    await check(page, c, `reloaded ${url}`);
    expect(w.errors(), `reloaded ${url}: page errors, console errors and failed responses`).toEqual([]);
  } finally {
    await page.close();
  }
}, 90_000);

const day = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The logins the server knows for a window: people and both ends of every mentoring pair. */
async function loginsOf(query: URLSearchParams): Promise<string[]> {
  const url = env.server.url;
  const all = new URLSearchParams({ from: '2000-01-01', to: org.dataEnd.slice(0, 10) });
  const logins = new Set<string>();
  for (const q of [query, all]) {
    for (const p of (await getJson<{ people: { login: string }[] }>(`${url}/api/people?${q}`)).people) logins.add(p.login);
    const m = await getJson<{ edges: { mentor: string; mentee: string }[]; newcomersWithoutMentor?: string[]; overloadedMentors?: (string | { login: string })[] }>(`${url}/api/mentoring?${q}`);
    for (const e of m.edges) logins.add(e.mentor).add(e.mentee);
    for (const n of m.newcomersWithoutMentor ?? []) logins.add(n);
    for (const o of m.overloadedMentors ?? []) logins.add(typeof o === 'string' ? o : o.login);
  }
  return [...logins];
}

const BRIEFS = [
  { period: '12w', weeks: 12, search: 'period=12w', link: 'the overview’s button' },
  { period: '26w', weeks: 26, search: 'period=26w', link: 'the navigation' },
  { period: '4w', weeks: 4, search: 'period=4w&team=', link: 'the overview’s button', team: true },
] as const;

test.each(BRIEFS.map((b) => [b.search, b] as const))('the brief reached from the overview (%s) is for the overview’s period, said in words, and names nobody', async (_, b) => {
  const url = env.server.url;
  const search = 'team' in b ? `${b.search}${encodeURIComponent(org.team.slug)}` : b.search;
  const page = await env.context.newPage();
  try {
    const w = watch(page);
    const overviews: Request[] = [];
    const briefs: Request[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${url}/api/overview?`)) overviews.push(r);
      if (r.url().startsWith(`${url}/api/brief?`)) briefs.push(r);
    });
    await page.goto(`${url}/?${search}`, { timeout: WAIT });
    await visible(page.getByTestId('finding'));
    await page.waitForLoadState('networkidle', { timeout: WAIT });

    // The overview asks for its period and for the one before; its own is the later one.
    const asked = overviews.map((r) => new URL(r.url()).searchParams).sort((x, y) => Date.parse(y.get('to')!) - Date.parse(x.get('to')!));
    const shown = asked[0];
    expect(shown, `${url}/?${search}: no /api/overview request`).toBeDefined();
    const from = shown!.get('from')!;
    const to = shown!.get('to')!;
    expect(Date.parse(to) - Date.parse(from), `the overview's ${b.period}, both ends included`).toBe((b.weeks * 7 - 1) * DAY);
    expect(shown!.get('team') ?? '', 'the overview’s scope').toBe('team' in b ? org.team.slug : '');
    await expect(page.locator('.ph p').first().textContent(), 'the overview states its period').resolves.toBe(`${day(from)} – ${day(to)}`);

    const link = b.link === 'the navigation' ? page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'One-page brief' }) : page.locator('main').getByRole('link', { name: 'One-page brief' });
    await link.click({ timeout: WAIT });
    await page.waitForURL(`**/brief?**`, { timeout: WAIT });
    await visible(page.getByTestId('brief-period'));
    await visible(page.locator('footer'));
    await page.waitForLoadState('networkidle', { timeout: WAIT });

    expect(briefs.length, 'the brief asks the server once').toBe(1);
    const bq = new URL(briefs[0]!.url()).searchParams;
    expect({ from: bq.get('from'), to: bq.get('to'), team: bq.get('team') ?? '' }, `${page.url()}: the brief's /api/brief window and scope`).toEqual({ from, to, team: shown!.get('team') ?? '' });
    // The period before is as long, or shorter where the synced history starts inside it.
    const answer = await getJson<{ from: string; to: string; previousFrom: string; previousTo: string; names: boolean }>(`${url}/api/brief?${bq}`);
    const before = Math.round((Date.parse(answer.previousTo) - Date.parse(answer.previousFrom)) / DAY);
    expect(answer.previousTo, 'the period before ends where this one starts').toBe(answer.from);
    expect(before, 'the period before is no longer than this one').toBeLessThanOrEqual(b.weeks * 7);
    expect(before, 'the period before is not empty').toBeGreaterThan(0);
    const period = (await page.getByTestId('brief-period').textContent())!.replace(/\s+/g, ' ').trim();
    expect(period, `${page.url()}: the brief states the overview's period in words`).toBe(`From ${day(from)} to ${day(to)}, compared with the ${before} days before.`);

    // By default (Settings' "Name people in the brief" off) no login appears anywhere in it.
    expect(answer.names, 'names are off by default').toBe(false);
    const text = await page.locator('body').innerText();
    const logins = await loginsOf(bq);
    expect(logins.length, 'the demo org has people').toBeGreaterThan(0);
    const named = logins.filter((l) => new RegExp(`(?<![\\w-])${escape(l)}(?![\\w-])`, 'i').test(text));
    expect(named, `${page.url()}: logins in the brief's text`).toEqual([]);
    expect(w.errors(), `${page.url()}: page errors, console errors and failed responses`).toEqual([]);
  } finally {
    await page.close();
  }
}, 90_000);

// Identities the rules missed are joined on the knowledge page (settings `identityAliases`), one
// per line; a single identity is refused there with what to do, and leaves the settings as they
// were. A saved join is listed after a reload and can be removed again.
test('joins two commit identities from the knowledge page, refuses one alone, and removes the join again', async () => {
  const url = env.server.url;
  const aliases = async () => (await getJson<{ identityAliases: string[][] }>(`${url}/api/settings`)).identityAliases;
  const before = await aliases();
  const page = await env.context.newPage();
  try {
    const w = watch(page);
    await page.goto(`${url}/knowledge?${filters()}&r=${encodeURIComponent(org.knowledgeRepo)}`, { timeout: WAIT });
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Join identities no rule found' }) });
    const box = form.getByLabel('Identities of one person');
    const submit = form.getByRole('button', { name: 'These are one person' });
    await visible(box);

    await box.fill('  Tom Hardy <tom@a.example>  \n\n');
    await submit.click({ timeout: WAIT });
    await expect(form.getByRole('status').textContent({ timeout: WAIT })).resolves.toBe('List at least two identities of the one person, one per line: e-mails, names or logins.');
    expect(await aliases(), 'one identity alone saves nothing').toEqual(before);

    await box.fill('Tom Hardy <tom@a.example>\nthardy@b.example\n');
    await submit.click({ timeout: WAIT });
    await expect(form.getByRole('status').textContent({ timeout: WAIT })).resolves.toBe('Saved: Tom Hardy <tom@a.example>, thardy@b.example are one person from the next sync on.');
    expect(await aliases(), 'the join is saved beside what was there').toEqual([...before, ['Tom Hardy <tom@a.example>', 'thardy@b.example']]);
    await expect(box.inputValue(), 'the box is emptied for the next join').resolves.toBe('');

    await page.reload({ timeout: WAIT });
    const joined = page.getByRole('list', { name: 'Identities joined here' }).getByRole('listitem').filter({ hasText: 'thardy@b.example' });
    await visible(joined);
    await expect(joined.textContent()).resolves.toContain('Tom Hardy <tom@a.example> · thardy@b.example');
    await joined.getByRole('button', { name: 'Remove' }).click({ timeout: WAIT });
    await expect(page.getByRole('status').filter({ hasText: 'Removed:' }).textContent({ timeout: WAIT })).resolves.toBe('Removed: Tom Hardy <tom@a.example>, thardy@b.example are joined only by the rules from the next sync on.');
    expect(await aliases(), 'removing the join leaves the settings as before').toEqual(before);
    expect(w.errors(), `${page.url()}: page errors, console errors and failed responses`).toEqual([]);
  } finally {
    await page.close();
  }
}, 90_000);
