import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Db } from '../server/db/connect.ts';
import { guidepost } from './cli.fixture.ts';
import { syncSeededOrg, type SyncedOrg } from './consistency.fixture.ts';
import { dbArgsOf } from './harness.ts';

// Issue 12: a figure shown on more than one surface is one number. A seeded simulated org goes
// through the real sync, git/knowledge and derive stages; then every surface that shows a figure
// (overview, brief, reviews, mentoring, knowledge, team, repo and person pages, the review matrix
// and `guidepost report --json`) is read over HTTP and the CLI for one window inside the synced
// history (it ends at the simulator's now, 2026-06-01), with no filter, a team filter and a repo
// filter. Pending requests and orphaned files are also counted by SQL over docs/schema.md.

const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-05-25T00:00:00Z';
const DAY = 86_400_000;

// API answers are read as JSON and checked field by field.
type Json = any;
type Mode = 'no filter' | 'a team filter' | 'a repo filter';
const MODES: Mode[] = ['no filter', 'a team filter', 'a repo filter'];

let s: SyncedOrg;
let team: string;
let repo: string;
const scope: Record<Mode, { team?: string; repo?: string }> = { 'no filter': {}, 'a team filter': {}, 'a repo filter': {} };
const cli: Partial<Record<Mode, Json>> = {};

const query = (m: Mode, extra: Record<string, string> = {}) => new URLSearchParams({ from: FROM, to: TO, ...scope[m], ...extra }).toString();
const get = async (path: string): Promise<Json> => {
  const res = await s.app.request(path);
  const body = await res.json();
  expect(res.status, `${path}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
  return body;
};
const totalsOf = (r: { prs: number; reviews: number; merged: number; mergedWithoutReview: number }) => ({ prs: r.prs, reviews: r.reviews, merged: r.merged, mergedWithoutReview: r.mergedWithoutReview });

beforeAll(async () => {
  s = await syncSeededOrg({ seed: 1, scale: 'tiny', git: true });
  // The team filter: a team at or over the minimum group size that the teams list shows.
  const teams = await get(`/api/teams?${new URLSearchParams({ from: FROM, to: TO })}`);
  const shown = teams.teams.find((x: Json) => x.totals !== null && x.members >= teams.minGroupSize);
  expect(shown, 'a shown team of at least minGroupSize members').toBeDefined();
  team = shown.slug;
  // The repo filter: the first repository, which the knowledge stage analysed too.
  repo = (await s.t.db.selectFrom('repos').select('full_name').orderBy('full_name').executeTakeFirstOrThrow()).full_name;
  scope['a team filter'] = { team };
  scope['a repo filter'] = { repo };
  // `guidepost report --json` on the same database file, with the same window and filters.
  for (const m of MODES) {
    const flags = [...(scope[m].team ? ['--team', scope[m].team] : []), ...(scope[m].repo ? ['--repo', scope[m].repo] : [])];
    const r = await guidepost(['report', ...dbArgsOf(s.t.config), '--data-dir', s.t.dir, '--from', FROM, '--to', TO, ...flags, '--json']);
    expect(r.stderr, m).toBe('');
    expect(r.code, m).toBe(0);
    cli[m] = JSON.parse(r.stdout);
  }
}, 180_000);
afterAll(async () => s?.close());

/**
 * Pending review requests by the rule, over the documented schema: a person asked to review a PR
 * open at `asOf` who has not reviewed it since last asked (the latest request per PR and
 * reviewer); requests to teams, bots, the ghost user and excluded people do not count; within the
 * repo filter; with a team filter, only requests to the team's members.
 */
async function pendingBySql(db: Db, o: { asOf: string; repo?: string | undefined; team?: string | undefined; reviewer?: string | undefined; left: string[] }): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*) as n
    from review_requests asked
    join pull_requests pr on pr.id = asked.pull_request_id
    join people who on who.id = asked.reviewer_id
    where asked.reviewer_id is not null
      and asked.requested_at < ${o.asOf}
      and not exists (
        select 1 from review_requests later
        where later.pull_request_id = asked.pull_request_id and later.reviewer_id = asked.reviewer_id
          and later.requested_at < ${o.asOf}
          and (later.requested_at > asked.requested_at or (later.requested_at = asked.requested_at and later.id > asked.id)))
      and pr.created_at < ${o.asOf}
      and (pr.merged_at is null or pr.merged_at >= ${o.asOf})
      and (pr.closed_at is null or pr.closed_at >= ${o.asOf})
      and not exists (
        select 1 from reviews answered
        where answered.pull_request_id = asked.pull_request_id and answered.reviewer_id = asked.reviewer_id
          and answered.submitted_at >= asked.requested_at and answered.submitted_at < ${o.asOf})
      and who.is_bot = 0 and who.is_ghost = 0 and who.login not like '%[bot]' and lower(who.login) <> 'ghost'
      and lower(who.login) not in (${sql.join(['', ...o.left.map((l) => l.toLowerCase())])})
      ${o.repo === undefined ? sql`` : sql`and pr.repo_id = (select id from repos where full_name = ${o.repo})`}
      ${o.team === undefined ? sql`` : sql`and asked.reviewer_id in (select m.person_id from team_members m join teams t on t.id = m.team_id where t.slug = ${o.team})`}
      ${o.reviewer === undefined ? sql`` : sql`and who.login = ${o.reviewer}`}`.execute(db);
  return Number(r.rows[0]!.n);
}

const leftOut = async () => {
  const st = await get('/api/settings');
  return [...st.excludedLogins, ...st.extraBotLogins, ...st.doNotAnalyse] as string[];
};

describe.each(MODES)('with %s', (m) => {
  it('the overview, the reviews page and report --json show the same review figures, window and scope', async () => {
    const overview = await get(`/api/overview?${query(m)}`);
    const reviews = await get(`/api/reviews?${query(m)}`);
    const report = cli[m]!;
    expect(overview.suppressed).toBeNull();
    expect(overview.reviews).toEqual(report.reviews);
    expect(reviews.reviews).toEqual(report.reviews);
    expect(reviews.pendingRequests).toBe(report.reviews.pendingRequests);
    for (const k of ['from', 'to', 'asOf', 'group'] as const) {
      expect(overview[k], k).toBe(report[k]);
      expect(reviews[k], k).toBe(report[k]);
    }
    expect(overview).toMatchObject({ team: report.team, repo: report.repo, tiers: report.tiers });
    expect(report.from).toBe(FROM);
    expect(report.to).toBe(TO);
    // Something to compare: the window holds real activity.
    expect(report.reviews.prs).toBeGreaterThan(0);
    expect(report.reviews.reviews).toBeGreaterThan(0);
  });

  it('mentoring edges, newcomers and gaps are the same on the overview, the mentoring page and report --json', async () => {
    const overview = await get(`/api/overview?${query(m)}`);
    const mentoring = await get(`/api/mentoring?${query(m)}`);
    const report = cli[m]!;
    expect(overview.mentoring).toEqual(report.mentoring);
    for (const k of ['edges', 'newcomers', 'gaps', 'newcomersWithoutMentor', 'overloadedMentors'] as const) expect(mentoring[k], k).toEqual(report.mentoring[k]);
    expect(mentoring).toMatchObject({ from: report.from, to: report.to, asOf: report.asOf, group: report.group });
  });

  it('findings are data (kind, severity, subjects, figures, evidence, text) and the same list on the overview and in report --json', async () => {
    const overview = await get(`/api/overview?${query(m)}`);
    const report = cli[m]!;
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(typeof f.kind).toBe('string');
      expect(['attention', 'watch', 'good']).toContain(f.severity);
      expect(Array.isArray(f.subjects)).toBe(true);
      for (const sub of f.subjects) expect(sub).toEqual({ type: expect.stringMatching(/^(person|team|repo|org)$/), id: expect.any(String) });
      expect(typeof f.figures).toBe('object');
      for (const v of Object.values(f.figures)) expect(v === null || typeof v === 'number').toBe(true);
      for (const e of f.evidence) expect(e).toEqual({ subject: expect.any(String), detail: expect.any(String) });
      expect(typeof f.text).toBe('string');
      expect(f.text.length).toBeGreaterThan(0);
    }
    expect(overview.findings).toEqual(report.findings);
  });

  it("every shown team's totals in the teams list are its page's, and its page shows the overview filtered to it", async () => {
    const list = await get(`/api/teams?${query(m)}`);
    const shown = list.teams.filter((x: Json) => x.totals !== null);
    expect(shown.map((x: Json) => x.slug)).toContain(team);
    for (const row of shown) {
      const page = await get(`/api/teams/${row.slug}?${query(m)}`);
      const overview = await get(`/api/overview?${query(m, { team: row.slug })}`);
      expect(page.suppressed, row.slug).toBeNull();
      expect(row.totals, row.slug).toEqual(totalsOf(page.reviews));
      expect(page.reviews, row.slug).toEqual(overview.reviews);
      expect(page.mentoring, row.slug).toEqual({ edges: overview.mentoring.edges, newcomers: overview.mentoring.newcomers, gaps: overview.mentoring.gaps });
      expect(page.findings, row.slug).toEqual(overview.findings);
      expect(page.tiers, row.slug).toEqual(overview.tiers);
      expect({ from: page.from, to: page.to, asOf: page.asOf, group: page.group }, row.slug).toEqual({ from: overview.from, to: overview.to, asOf: overview.asOf, group: overview.group });
      if (m === 'a team filter' && row.slug === team) expect(page.reviews).toEqual(cli[m]!.reviews);
    }
  });

  it("every repository's row in the repos list is its page's totals, and its page is the overview filtered to it", async () => {
    const list = await get(`/api/repos?${query(m)}`);
    const names = list.repos.map((r: Json) => r.name);
    if (m === 'a repo filter') expect(names).toEqual([repo]);
    else expect(names).toContain(repo);
    for (const row of list.repos) {
      const page = await get(`/api/repos/${row.name}?${query(m)}`);
      const overview = await get(`/api/overview?${query(m, { repo: row.name })}`);
      expect({ prs: row.prs, reviews: row.reviews, merged: row.merged, mergedWithoutReview: row.mergedWithoutReview }, row.name).toEqual(totalsOf(page.reviews));
      // Working agreements are the team's targets, shown on the overview only.
      const { suppressed: _suppressed, agreements: _agreements, ...sameAsPage } = overview;
      expect(page, row.name).toEqual(sameAsPage);
      if (m === 'a repo filter') expect(page.reviews).toEqual(cli[m]!.reviews);
    }
  });

  // The matrix has teams for rows and columns, so it takes no team filter.
  if (m !== 'a team filter') it("the review matrix's share across teams is the overview's", async () => {
    const matrix = await get(`/api/review-matrix?${query(m)}`);
    const overview = await get(`/api/overview?${query(m)}`);
    expect(matrix.crossTeam).toEqual(overview.reviews.crossTeam);
    expect(matrix.crossTeam.of).toBeGreaterThan(0);
    expect(matrix.repo).toBe(scope[m].repo ?? null);
  });

  it("each person's page shows their row of report --json, and their pending review requests as SQL counts them", async () => {
    const report = cli[m]!;
    const left = await leftOut();
    expect(report.people.length).toBeGreaterThan(2);
    let pendingSeen = 0;
    for (const row of report.people) {
      const page = await get(`/api/people/${encodeURIComponent(row.login)}?${query(m)}`);
      expect(page.stats, row.login).toEqual(row);
      const want = await pendingBySql(s.t.db, { asOf: report.asOf, repo: scope[m].repo, reviewer: row.login, left });
      expect(page.pendingReviewRequests, `${row.login}'s pending review requests`).toBe(want);
      pendingSeen += want;
    }
    if (m === 'no filter') expect(pendingSeen).toBeGreaterThan(0);
  });

  it('pending review requests on the overview and the reviews page are the SQL count at the answer’s asOf', async () => {
    const overview = await get(`/api/overview?${query(m)}`);
    const reviews = await get(`/api/reviews?${query(m)}`);
    const want = await pendingBySql(s.t.db, { asOf: overview.asOf, repo: scope[m].repo, team: scope[m].team, left: await leftOut() });
    expect(overview.asOf).toBe(TO);
    expect(overview.reviews.pendingRequests).toBe(want);
    expect(reviews.pendingRequests).toBe(want);
    expect(reviews.asOf).toBe(overview.asOf);
  });

  it('pending review requests are the SQL count at every fortnight of the synced history, not only at the end of one window', async () => {
    const left = await leftOut();
    const first = Date.parse((await s.t.db.selectFrom('pull_requests').select((eb) => eb.fn.min('created_at').as('at')).executeTakeFirstOrThrow()).at as string);
    const ends: string[] = [];
    for (let end = first + 30 * DAY; end < Date.parse(s.now) - DAY; end += 14 * DAY) ends.push(new Date(end).toISOString().replace('.000Z', 'Z'));
    const got: number[] = [];
    const want: number[] = [];
    for (const to of ends) {
      const from = new Date(Date.parse(to) - 28 * DAY).toISOString().replace('.000Z', 'Z');
      const overview = await get(`/api/overview?${new URLSearchParams({ from, to, ...scope[m] })}`);
      expect(overview.asOf).toBe(to);
      got.push(overview.reviews.pendingRequests);
      want.push(await pendingBySql(s.t.db, { asOf: to, repo: scope[m].repo, team: scope[m].team, left }));
    }
    expect(got).toEqual(want);
    expect(want.some((n) => n > 0)).toBe(true);
  });

  it('the brief covers exactly the window asked for and names nobody with default settings', async () => {
    const brief = await get(`/api/brief?${query(m)}`);
    const overview = await get(`/api/overview?${query(m)}`);
    expect(brief.from).toBe(FROM);
    expect(brief.to).toBe(TO);
    expect(brief.group).toBe(overview.group);
    expect(brief.names).toBe(false);
    expect(brief.suppressed).toBeNull();
    expect(brief.goingWell.length + brief.needsGuidance.length).toBeGreaterThan(0);
    const text = JSON.stringify(brief).toLowerCase();
    const logins = await s.t.db.selectFrom('people').select('login').where('is_ghost', '=', 0).execute();
    expect(logins.length).toBeGreaterThan(3);
    expect(logins.map((p) => p.login).filter((l) => text.includes(l.toLowerCase()))).toEqual([]);
  });
});

describe('knowledge', () => {
  // docs/schema.md: a file's authors are its knowledge_file_authors rows, and an author has
  // departed when knowledge_authors says so; a file is orphaned when every author has departed.
  const orphanedFilesBySql = async (db: Db, repoId: number) =>
    (
      await sql<{ path: string }>`
        select fa.path from knowledge_file_authors fa
        left join knowledge_authors a on a.repo_id = fa.repo_id and a.author_key = fa.author_key
        where fa.repo_id = ${repoId}
        group by fa.path
        having min(coalesce(a.is_departed, 0)) = 1
        order by fa.path`.execute(db)
    ).rows.map((r) => r.path);
  // A leaf directory (what precedes a path's last '/', '.' at the root) is orphaned when every
  // author of its files has departed.
  // The join is SQL; the leaf directory of each path is cut here, as no string function is in
  // both engines' SQL alike (instr is SQLite's, strpos PostgreSQL's).
  const orphanedDirectoriesBySql = async (db: Db, repoId: number) => {
    const rows = (
      await sql<{ path: string; departed: number }>`
        select fa.path as path, coalesce(a.is_departed, 0) as departed
        from knowledge_file_authors fa
        left join knowledge_authors a on a.repo_id = fa.repo_id and a.author_key = fa.author_key
        where fa.repo_id = ${repoId}`.execute(db)
    ).rows;
    const allDeparted = new Map<string, boolean>();
    for (const r of rows) {
      const dir = r.path.includes('/') ? r.path.slice(0, r.path.lastIndexOf('/')) : '.';
      allDeparted.set(dir, (allDeparted.get(dir) ?? true) && Number(r.departed) === 1);
    }
    return [...allDeparted].filter(([, gone]) => gone).map(([dir]) => dir).sort();
  };

  it("orphaned files of every analysed repository are one number on the list, the repository page's list and in SQL", async () => {
    const list = await get('/api/knowledge');
    const analysed = list.repos.filter((r: Json) => r.analysed);
    expect(analysed.length).toBe(list.repos.length);
    let orphanedAnywhere = 0;
    for (const row of analysed) {
      const { id } = await s.t.db.selectFrom('repos').select('id').where('full_name', '=', row.repo).executeTakeFirstOrThrow();
      const detail = await get(`/api/knowledge/${row.repo}`);
      const files = await orphanedFilesBySql(s.t.db, id);
      const listed = detail.orphanedAreas.flatMap((a: Json) => a.paths ?? []) as string[];
      expect(row.orphanedFiles, `${row.repo}: knowledge list vs SQL`).toBe(files.length);
      expect(detail.orphanedFiles, `${row.repo}: repository page vs SQL`).toBe(files.length);
      expect([...listed].sort(), `${row.repo}: the files the repository page lists as orphaned vs SQL`).toEqual(files);
      expect(detail.orphanedAreas.reduce((n: number, a: Json) => n + a.files, 0), `${row.repo}: orphaned areas add up`).toBe(files.length);
      orphanedAnywhere += files.length;
    }
    // The planted departed owner leaves orphaned files behind (a check of the check).
    expect(orphanedAnywhere).toBeGreaterThan(0);
  });

  it('orphaned directories and the other knowledge figures are one number on the list, the repository page and in SQL', async () => {
    const list = await get('/api/knowledge');
    for (const row of list.repos) {
      const { id } = await s.t.db.selectFrom('repos').select('id').where('full_name', '=', row.repo).executeTakeFirstOrThrow();
      const detail = await get(`/api/knowledge/${row.repo}`);
      const dirs = await orphanedDirectoriesBySql(s.t.db, id);
      expect(row.orphanedDirectories, `${row.repo}: knowledge list vs SQL`).toBe(dirs.length);
      expect(detail.directories.filter((d: Json) => d.orphaned).map((d: Json) => d.directory), `${row.repo}: repository page vs SQL`).toEqual(dirs);
      expect({ files: detail.files, truckFactor: detail.truckFactor, truckFactorWithoutDeparted: detail.truckFactorWithoutDeparted, islands: detail.islands.length }, row.repo).toEqual({
        files: row.files,
        truckFactor: row.truckFactor,
        truckFactorWithoutDeparted: row.truckFactorWithoutDeparted,
        islands: row.islands,
      });
    }
  });
});
