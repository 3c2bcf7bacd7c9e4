import type { SignalTeamMembersTable, SignalTeamsTable } from '../../server/db/signals.tables.ts';
import type { Settings } from '../../server/settings.ts';

// Teams are GitHub teams plus teams defined in settings; a person may be in several. A settings
// team with the slug of a GitHub team replaces it (the leader said so on purpose).

export interface GithubTeamRow {
  slug: string;
  name: string;
  members: readonly number[];
}

export function mergeTeams(
  github: readonly GithubTeamRow[],
  settingsTeams: Settings['teams'],
  idByLogin: ReadonlyMap<string, number>,
): { teams: SignalTeamsTable[]; members: SignalTeamMembersTable[]; unknownLogins: string[] } {
  const teams = new Map<string, SignalTeamsTable>();
  const members = new Map<string, Set<number>>();
  for (const t of github) {
    teams.set(t.slug, { slug: t.slug, name: t.name, source: 'github' });
    members.set(t.slug, new Set(t.members));
  }
  const unknownLogins: string[] = [];
  for (const t of settingsTeams) {
    teams.set(t.slug, { slug: t.slug, name: t.name, source: 'settings' });
    const ids = new Set<number>();
    for (const login of t.members) {
      const id = idByLogin.get(login.toLowerCase());
      if (id === undefined) unknownLogins.push(login);
      else ids.add(id);
    }
    members.set(t.slug, ids);
  }
  return {
    teams: [...teams.values()],
    members: [...members].flatMap(([slug, ids]) => [...ids].map((person_id) => ({ slug, person_id }))),
    unknownLogins,
  };
}

export function teamsByPerson(members: readonly SignalTeamMembersTable[]): Map<number, Set<string>> {
  const m = new Map<number, Set<string>>();
  for (const { slug, person_id } of members) {
    const s = m.get(person_id) ?? new Set<string>();
    s.add(slug);
    m.set(person_id, s);
  }
  return m;
}
