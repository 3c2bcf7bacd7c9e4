import type { Db } from '../db/connect.ts';
import { readSettings } from '../settings.ts';
import { round } from './gini.ts';
import { resolveFilter, type ReportFilter } from './filter.ts';
import { hiddenTeams } from './privacy.ts';
import { formulas } from './formulas.ts';
import { countedPeople } from './counted.ts';
import { reviewsByPair } from './activity.ts';

// Who reviews whom across teams: reviews given by members of team A on pull requests authored
// by members of team B, for every pair of teams. Teams are the rows and columns, so there is no
// team filter; the window and the repository narrow it like every other figure.

export async function reviewMatrix(db: Db, filter: Omit<ReportFilter, 'team'>) {
  const f = await resolveFilter(db, filter);
  const settings = await readSettings(db);

  // The settings as they are now, even if they changed after the last derive.
  const people = await db.selectFrom('people').select(['id', 'login', 'is_bot', 'is_ghost']).execute();
  const counted = countedPeople(people, settings);
  const left = people.filter((p) => !counted.has(p.id)).map((p) => p.id);

  const members = await db.selectFrom('signal_team_members').select(['slug', 'person_id']).execute();
  const { hidden, sizes: size } = await hiddenTeams(db, settings);
  const all = await db.selectFrom('signal_teams').select(['slug', 'name']).orderBy('name').orderBy('slug').execute();
  const shown = all.filter((t) => !hidden.has(t.slug));
  const index = new Map(shown.map((t, i) => [t.slug, i]));

  // Reviews per reviewer → author pair from the week packs (server/signals/activity.ts),
  // then each pair into every (reviewer team, author team) cell.
  const leftOut = new Set(left);
  const teamsOf = new Map<number, number[]>();
  for (const m of members) {
    const i = index.get(m.slug);
    if (i !== undefined) teamsOf.set(m.person_id, [...(teamsOf.get(m.person_id) ?? []), i]);
  }
  // The headline share counts each review once, over every team (hidden ones too), by the rule
  // the summary uses (participation.ts): the overview's "Across teams" is the same number.
  const everyTeamOf = new Map<number, Set<string>>();
  for (const m of members) everyTeamOf.set(m.person_id, (everyTeamOf.get(m.person_id) ?? new Set()).add(m.slug));
  const crossTeam = { reviews: 0, of: 0, share: null as number | null };
  const matrix = shown.map(() => shown.map(() => 0));
  for (const p of await reviewsByPair(db, f.from, f.to, f.repo?.id)) {
    if (leftOut.has(p.reviewer_id) || leftOut.has(p.author_id)) continue;
    for (const i of teamsOf.get(p.reviewer_id) ?? []) for (const j of teamsOf.get(p.author_id) ?? []) matrix[i]![j]! += p.n;
    const a = everyTeamOf.get(p.reviewer_id);
    const b = everyTeamOf.get(p.author_id);
    if (!a || !b) continue;
    crossTeam.of += p.n;
    if (![...a].some((t) => b.has(t))) crossTeam.reviews += p.n;
  }
  crossTeam.share = crossTeam.of ? round(crossTeam.reviews / crossTeam.of, 3) : null;
  return {
    from: f.from,
    to: f.to,
    repo: f.repo?.fullName ?? null,
    minGroupSize: settings.minGroupSize,
    /** Rows (reviewing team) and columns (author team), in this order. */
    teams: shown.map((t) => ({ slug: t.slug, name: t.name, members: size.get(t.slug) ?? 0 })),
    /** matrix[i][j]: reviews by members of teams[i] on PRs authored by members of teams[j]. */
    matrix,
    /** Reviews across teams of reviews between team members, each review once (as on the overview). */
    crossTeam,
    /** Teams left out by the privacy rule (server/signals/privacy.ts). */
    suppressed: all.filter((t) => !index.has(t.slug)).map((t) => ({ slug: t.slug, name: t.name, members: size.get(t.slug) ?? 0 })),
    formula: formulas(settings).reviewMatrix,
  };
}
