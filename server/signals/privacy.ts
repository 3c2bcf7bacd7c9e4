import type { Db } from '../db/connect.ts';
import type { Settings } from '../settings.ts';

// DESIGN.md "Privacy by default": groups under minGroupSize are not shown as a group average.

/** A plain-words reason when a team is too small to show as an average, else null. */
export async function groupGuard(db: Db, team: string | null | undefined, settings: Settings): Promise<string | null> {
  if (!team) return null;
  const row = await db.selectFrom('signal_team_members').select((eb) => eb.fn.countAll<number>().as('n')).where('slug', '=', team).executeTakeFirst();
  const n = Number(row?.n ?? 0);
  if (n >= settings.minGroupSize) return null;
  return `Team ${team} has ${n} member${n === 1 ? '' : 's'}; groups under ${settings.minGroupSize} are not shown as an average.`;
}
