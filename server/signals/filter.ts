import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import { readDeriveState } from './history.ts';
import { shownOrg } from './scope.ts';

// The window and scope every figure is computed for: `from`, `to`, `team`, `repo`, checked once.
// Windows are clamped to the synced history, so an absurd range costs what the history costs
// and answers with the period really covered; a range wholly outside it is a 400 that says
// where the history is.

export interface ReportFilter {
  from?: string | undefined;
  to?: string | undefined;
  team?: string | undefined;
  repo?: string | undefined;
  /** Only used to name the org; repos of other owners are still counted. */
  org?: string | undefined;
}

export interface ResolvedFilter {
  from: string;
  to: string;
  /** Where waiting PRs stop waiting: `to`, or the end of the synced history when that is earlier. */
  asOf: string;
  team: string | undefined;
  /** The team's display name. */
  teamName: string | undefined;
  repo: { id: number; fullName: string } | undefined;
}

const DAY = 86_400_000;
const DEFAULT_DAYS = 90;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a date flag or query value; a date alone means the start of that day (UTC). */
export function parseDate(name: string, value: string): number {
  if (!DATE_ONLY.test(value) && !ISO.test(value)) {
    throw new AppError('bad_request', `${name} "${value}" is not a date; use YYYY-MM-DD or an ISO-8601 time such as 2026-01-31T12:00:00Z.`);
  }
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms) || (DATE_ONLY.test(value) && new Date(ms).toISOString().slice(0, 10) !== value)) {
    throw new AppError('bad_request', `${name} "${value}" is not a real date; use YYYY-MM-DD.`);
  }
  return ms;
}

export const isoSecond = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const day = (iso: string) => iso.slice(0, 10);

/**
 * The window [from, to): by default the 90 days ending now (or at the end of the synced history,
 * when that is earlier); a date-only `to` includes that day. `history` clamps both ends.
 */
export function resolveWindow(from: string | undefined, to: string | undefined, now = Date.now(), history: { from: string; to: string } | null = null): { from: string; to: string; asOf: string } {
  // The default end is now, to the minute, so repeated dashboard loads share one cached report.
  let toMs = to === undefined ? Math.floor(now / 60_000) * 60_000 : parseDate('to', to) + (DATE_ONLY.test(to) ? DAY : 0);
  let fromMs = from === undefined ? Number.NaN : parseDate('from', from);
  if (from !== undefined && to !== undefined && fromMs >= toMs) throw new AppError('bad_request', `from (${from}) must be before to (${to}).`);
  if (history) {
    const start = Date.parse(history.from);
    // One second past the newest event keeps that event inside the half-open window.
    const end = Date.parse(history.to) + 1000;
    if ((from !== undefined && fromMs >= end) || (to !== undefined && toMs <= start)) throw outside(history);
    if (toMs > end) toMs = end;
    if (from !== undefined && fromMs < start) fromMs = Math.floor(start / 1000) * 1000;
  } else if (from !== undefined && fromMs >= toMs) {
    throw new AppError('bad_request', `from (${from}) must be before to (${isoSecond(toMs)}).`);
  }
  const asOf = toMs;
  if (from === undefined) fromMs = toMs - DEFAULT_DAYS * DAY;
  return { from: isoSecond(fromMs), to: isoSecond(toMs), asOf: isoSecond(asOf) };
}

function outside(history: { from: string; to: string }): AppError {
  return new AppError('bad_request', `No synced data in that period: the synced history runs from ${day(history.from)} to ${day(history.to)}. Pick a period that overlaps it.`);
}

/** Checks the team and repo filters exist (unknown names are a 400 that names them) and clamps the window. */
export async function resolveFilter(db: Db, f: ReportFilter, now?: number): Promise<ResolvedFilter> {
  const state = await readDeriveState(db);
  const history = state?.historyFrom && state.historyTo ? { from: state.historyFrom, to: state.historyTo } : null;
  const window = resolveWindow(f.from, f.to, now, history);
  let team: ResolvedFilter['team'];
  let teamName: ResolvedFilter['teamName'];
  if (f.team !== undefined) {
    const row = await db.selectFrom('signal_teams').select(['slug', 'name']).where('slug', '=', f.team).executeTakeFirst();
    if (!row) {
      const known = (await db.selectFrom('signal_teams').select('slug').orderBy('slug').limit(20).execute()).map((r) => r.slug);
      throw new AppError('bad_request', `Unknown team "${f.team}". ${known.length ? `Known teams: ${known.join(', ')}.` : 'No teams are known yet; sync the org or define teams in settings.'}`);
    }
    team = row.slug;
    teamName = row.name;
  }
  let repo: ResolvedFilter['repo'];
  if (f.repo !== undefined) {
    const name = f.repo;
    const row = await db
      .selectFrom('repos')
      .select(['id', 'full_name'])
      .where((eb) => (name.includes('/') ? eb('full_name', '=', name) : eb('name', '=', name)))
      .executeTakeFirst();
    if (!row) throw new AppError('bad_request', `Unknown repo "${name}". Use a repository name or owner/name that has been synced.`);
    repo = { id: row.id, fullName: row.full_name };
  }
  return { ...window, team, teamName, repo };
}

/** The group a figure describes, in words: "team Platform", "repo acme/api" or "the org". */
export function groupLabel(f: Pick<ResolvedFilter, 'team' | 'teamName' | 'repo'>): string {
  const parts = [f.team && `team ${f.teamName ?? f.team}`, f.repo && `repo ${f.repo.fullName}`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'the org';
}

export async function orgName(db: Db, wanted?: string): Promise<string> {
  if (wanted) {
    const known = await db.selectFrom('repos').select('owner').where('owner', '=', wanted).executeTakeFirst();
    const conn = await db.selectFrom('connections').select('org').where('org', '=', wanted).executeTakeFirst();
    if (!known && !conn) throw new AppError('bad_request', `Unknown org "${wanted}". Sync it first with \`guidepost sync\`.`);
    // The signals hold one org's data when the database holds several (scope.ts): naming another
    // would put its name over the shown org's figures.
    const derivedFor = (await readDeriveState(db))?.org;
    if (derivedFor && derivedFor.toLowerCase() !== wanted.toLowerCase()) {
      throw new AppError('bad_request', `The signals are computed for ${derivedFor}, the organisation the dashboard shows. To see ${wanted}, show it on the Connections page first (or leave --org out).`);
    }
    return wanted;
  }
  return (await shownOrg(db)) ?? '';
}
