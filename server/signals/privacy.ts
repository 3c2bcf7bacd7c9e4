import type { Db } from '../db/connect.ts';
import type { Settings } from '../settings.ts';

// DESIGN.md "Privacy by default", in one place: groups under minGroupSize are not shown. And
// complementary suppression: where a total is shown beside the groups, one hidden group could be
// worked out by subtracting the shown ones from the total, so the next-smallest groups are hidden
// too, until what is hidden together covers at least minGroupSize people in two or more groups.

export interface Group {
  key: string;
  size: number;
}

/** Keys of the groups not to show. `withTotal`: a total over all the groups is shown too. */
export function hiddenGroups(groups: readonly Group[], minGroupSize: number, withTotal: boolean): Set<string> {
  const hidden = new Set(groups.filter((g) => g.size < minGroupSize).map((g) => g.key));
  if (!withTotal || hidden.size === 0) return hidden;
  const shown = groups.filter((g) => !hidden.has(g.key)).sort((a, b) => a.size - b.size || a.key.localeCompare(b.key));
  let people = groups.filter((g) => hidden.has(g.key)).reduce((n, g) => n + g.size, 0);
  while (shown.length && (hidden.size < 2 || people < minGroupSize)) {
    const next = shown.shift()!;
    hidden.add(next.key);
    people += next.size;
  }
  return hidden;
}

/** Why a group is not shown, in words. */
export function hiddenReason(name: string, size: number, settings: Pick<Settings, 'minGroupSize'>): string {
  if (size >= settings.minGroupSize) {
    return `${name} is not shown: with a smaller group hidden beside it, its figures would let that group's be worked out from the total.`;
  }
  return `${name} has ${size} member${size === 1 ? '' : 's'}; groups under ${settings.minGroupSize} are not shown.`;
}

/** Counted members per team (bots and excluded people are never in signal_team_members). */
export async function teamSizes(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('signal_team_members').select(['slug', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('slug').execute();
  return new Map(rows.map((r) => [r.slug, Number(r.n)]));
}

/** Teams not to show, and each one's size: org totals are shown beside every team's figures. */
export async function hiddenTeams(db: Db, settings: Pick<Settings, 'minGroupSize'>): Promise<{ hidden: Set<string>; sizes: Map<string, number> }> {
  const teams = await db.selectFrom('signal_teams').select('slug').execute();
  const sizes = await teamSizes(db);
  const hidden = hiddenGroups(teams.map((t) => ({ key: t.slug, size: sizes.get(t.slug) ?? 0 })), settings.minGroupSize, true);
  return { hidden, sizes };
}

/** A plain-words reason when the team filter names a team that is not shown, else null. */
export async function teamGuard(db: Db, team: string | null | undefined, teamName: string | null | undefined, settings: Settings): Promise<string | null> {
  if (!team) return null;
  const { hidden, sizes } = await hiddenTeams(db, settings);
  return hidden.has(team) ? hiddenReason(`Team ${teamName ?? team}`, sizes.get(team) ?? 0, settings) : null;
}
