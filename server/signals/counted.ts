import type { Settings } from '../settings.ts';

// Who counts in signals: never bots, the ghost user, excluded or do-not-analyse people.

export interface PersonRow {
  id: number;
  login: string;
  is_bot: number;
  is_ghost: number;
}

export function isBotLogin(login: string): boolean {
  return /\[bot\]$/i.test(login);
}

/** Ids of the people whose activity counts, given every person row and the settings. */
export function countedPeople(people: readonly PersonRow[], settings: Settings): Set<number> {
  const left = new Set([...settings.excludedLogins, ...settings.extraBotLogins, ...settings.doNotAnalyse].map((l) => l.toLowerCase()));
  const counted = new Set<number>();
  for (const p of people) {
    if (p.is_bot || p.is_ghost || isBotLogin(p.login) || p.login.toLowerCase() === 'ghost' || left.has(p.login.toLowerCase())) continue;
    counted.add(p.id);
  }
  return counted;
}
