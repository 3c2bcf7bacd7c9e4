import type { Db } from '../db/connect.ts';
import type { Report } from './report.ts';
import type { Settings } from '../settings.ts';
import { activityByRepo } from './activity.ts';
import { keepRecent, keptWhile, perRun, type Kept } from './run-cache.ts';
import { signalPeople } from './window.ts';

// Suggested mentors for a newcomer's gap (issue 6: "people with the right knowledge and spare
// capacity"). The right knowledge: recent pull requests and reviews in the repositories the
// newcomer works in, and the files there they are a main author of (git degree of authorship,
// when the knowledge stage has run). Spare capacity: fewer mentees in the window than the
// mentee limit. Only people whose guidance would count as mentoring are suggested: active,
// not newcomers themselves, with the tenure gap a mentoring edge needs.

const DAY = 86_400_000;
/** How far back pull requests and reviews count as knowing a repository. */
export const KNOWLEDGE_DAYS = 180;
/** No activity in the org for this long: gone, not a mentor to suggest (DESIGN.md "departed"). */
const ACTIVE_DAYS = 90;
const PER_GAP = 3;

export interface MentorSuggestion {
  login: string;
  /** The newcomer's repositories this person knows. */
  repos: string[];
  /** Their pull requests and reviews in those repositories in the last 180 days. */
  activity: number;
  /** Files there they are a main author of (git), 0 when the history has not been analysed. */
  files: number;
  /** Their mentees in the window, against the limit in settings. */
  mentees: number;
}

const NEWCOMER_GAPS = new Set(['no_mentor', 'slow_first_review', 'rubber_stamped']);
const iso = (ms: number) => new Date(ms).toISOString();
/** Window ends whose recent activity is kept (recentActivity). */
const KEPT_ENDS = 8;

// Suggestions per report: the report cache (report.ts) hands out one object per window, scope,
// settings and derive run, so the suggestions for it change only when the git analysis does.
const made = new WeakMap<Report, Kept>();

/** Suggestions per newcomer login, best first, for the newcomers in the report's gaps. */
export async function suggestMentors(db: Db, report: Report, settings: Settings): Promise<Map<string, MentorSuggestion[]>> {
  // Each git analysis stamps its repository's row; the authors' count also moves when one is added or removed.
  const k = await db.selectFrom('knowledge_repos').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('computed_at').as('at')]).executeTakeFirst();
  const a = await db.selectFrom('knowledge_authors').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return keptWhile(made, report, `${k?.n ?? 0}:${k?.at ?? ''}:${a?.n ?? 0}`, () => suggestionsFor(db, report, settings));
}

async function suggestionsFor(db: Db, report: Report, settings: Settings): Promise<Map<string, MentorSuggestion[]>> {
  const out = new Map<string, MentorSuggestion[]>();
  const wanted = [...new Set(report.mentoring.gaps.filter((g) => NEWCOMER_GAPS.has(g.kind)).map((g) => g.login))];
  if (!wanted.length) return out;

  const people = await signalPeople(db);
  const byLogin = new Map(people.map((p) => [p.login, p]));
  const loginOf = new Map(people.map((p) => [p.person_id, p.login]));
  const newcomerIds = wanted.map((l) => byLogin.get(l)?.person_id).filter((id): id is number => id !== undefined);
  if (!newcomerIds.length) return out;

  const repoId = report.repo ? (await db.selectFrom('repos').select('id').where('full_name', '=', report.repo).executeTakeFirst())?.id : undefined;
  let worked = db
    .selectFrom('signal_pr_facts')
    .select(['author_id', 'repo_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('author_id', 'in', newcomerIds)
    .groupBy(['author_id', 'repo_id']);
  if (repoId !== undefined) worked = worked.where('repo_id', '=', repoId);
  const newcomerRepos = await worked.execute();
  const repoIds = [...new Set(newcomerRepos.map((r) => r.repo_id))];
  if (!repoIds.length) return out;
  const reposOf = new Map<number, typeof newcomerRepos>();
  for (const r of newcomerRepos) {
    const list = reposOf.get(r.author_id);
    if (list) list.push(r);
    else reposOf.set(r.author_id, [r]);
  }

  const to = report.to;
  const recent = await recentActivity(db, to);
  const owned = await db
    .selectFrom('knowledge_authors')
    .select(['person_id', 'repo_id', 'files'])
    .where('repo_id', 'in', repoIds)
    .where('person_id', 'is not', null)
    .where('is_departed', '=', 0)
    .execute();
  const names = new Map((await db.selectFrom('repos').select(['id', 'full_name']).where('id', 'in', repoIds).execute()).map((r) => [r.id, r.full_name]));

  // person → repo → { activity, files }
  const know = new Map<number, Map<number, { activity: number; files: number }>>();
  const add = (person: number | null, repo: number, activity: number, files: number) => {
    if (person === null) return;
    const repos = know.get(person) ?? new Map<number, { activity: number; files: number }>();
    know.set(person, repos);
    const k = repos.get(repo) ?? { activity: 0, files: 0 };
    k.activity += activity;
    k.files += files;
    repos.set(repo, k);
  };
  for (const repo of repoIds) for (const [person, n] of recent.get(repo) ?? []) add(person, repo, n, 0);
  for (const r of owned) add(r.person_id, r.repo_id, 0, r.files);

  const mentees = new Map<string, number>();
  for (const e of report.mentoring.edges) mentees.set(e.mentor, (mentees.get(e.mentor) ?? 0) + 1);
  const newcomers = new Set(report.mentoring.newcomers.map((n) => n.login));
  const mentorsOf = new Map(report.mentoring.newcomers.map((n) => [n.login, new Set(n.mentors)]));
  const activeSince = Date.parse(to) - ACTIVE_DAYS * DAY;

  // Everyone who could mentor anyone, with dates parsed once (the loop below runs per newcomer).
  const candidates: { login: string; firstMs: number; load: number; repos: Map<number, { activity: number; files: number }> }[] = [];
  for (const [person, repos] of know) {
    const p = loginOf.get(person);
    const c = p === undefined ? undefined : byLogin.get(p);
    if (!c?.first_activity_at || !c.last_activity_at || newcomers.has(c.login)) continue;
    if (Date.parse(c.last_activity_at) < activeSince) continue;
    const load = mentees.get(c.login) ?? 0;
    if (load >= settings.menteeLimit) continue;
    candidates.push({ login: c.login, firstMs: Date.parse(c.first_activity_at), load, repos });
  }

  for (const login of wanted) {
    const me = byLogin.get(login);
    if (!me?.first_activity_at) continue;
    const mine = reposOf.get(me.person_id) ?? [];
    const total = mine.reduce((s, r) => s + Number(r.n), 0);
    // The newcomer's share of their pull requests in each repository weighs what knowing it is worth.
    const weight = new Map(mine.map((r) => [r.repo_id, Number(r.n) / total]));
    const latestStart = Date.parse(me.first_activity_at) - settings.mentorTenureGapDays * DAY;
    const theirs = mentorsOf.get(login);
    const ranked: (MentorSuggestion & { score: number })[] = [];
    for (const c of candidates) {
      if (c.login === login || c.firstMs > latestStart || theirs?.has(c.login)) continue;
      let score = 0;
      let activity = 0;
      let files = 0;
      const known: string[] = [];
      for (const [repo, w] of weight) {
        const k = c.repos.get(repo);
        if (!k || k.activity + k.files === 0) continue;
        score += w * (k.activity + k.files);
        activity += k.activity;
        files += k.files;
        known.push(names.get(repo) ?? `#${repo}`);
      }
      if (score > 0) ranked.push({ login: c.login, repos: known.sort(), activity, files, mentees: c.load, score });
    }
    ranked.sort((a, b) => b.score - a.score || a.mentees - b.mentees || a.login.localeCompare(b.login));
    out.set(login, ranked.slice(0, PER_GAP).map(({ score: _score, ...s }) => s));
  }
  return out;
}

/**
 * PRs opened plus reviews given per repository and person (every repository) in the
 * KNOWLEDGE_DAYS before `to`, from the week packs. Kept per derive run for the last few ends
 * asked for: the mentoring page of every team and period ending on one day shares one, and
 * each page reads only its newcomers' repositories from it.
 */
async function recentActivity(db: Db, to: string): Promise<Map<number, Map<number, number>>> {
  const byEnd = await perRun(db, 'recent activity by repo', async () => new Map<string, Kept>());
  const value = keptWhile(byEnd, to, 'kept', async () => {
    const { authored, reviewed } = await activityByRepo(db, iso(Date.parse(to) - KNOWLEDGE_DAYS * DAY), to);
    const out = new Map<number, Map<number, number>>();
    for (const r of [...authored, ...reviewed]) {
      let people = out.get(r.repo_id);
      if (!people) out.set(r.repo_id, (people = new Map()));
      people.set(r.person_id, (people.get(r.person_id) ?? 0) + Number(r.n));
    }
    return out;
  });
  const kept = byEnd.get(to);
  if (kept) keepRecent(byEnd, to, kept, KEPT_ENDS);
  return value;
}
