// Teams: each person belongs to one or two; a team works mostly in a few repos.
import type { SimTeam } from '../model.ts';
import type { Actor } from './actors.ts';
import type { IdAllocator } from './ids.ts';
import { nodeId } from './ids.ts';
import type { Rng } from './random.ts';

const TEAM_NAMES = [
  'Platform', 'Payments', 'Web', 'Mobile', 'Data', 'Infrastructure', 'Growth', 'Identity',
  'Search', 'Developer Experience', 'Security', 'Billing', 'Notifications', 'Analytics', 'Core API', 'Reliability',
];

export function generateTeams(rng: Rng, ids: IdAllocator, count: number, actors: Actor[], repoCount: number): SimTeam[] {
  const teams: SimTeam[] = TEAM_NAMES.slice(0, count).map((name) => {
    const id = ids.next('team', rng.int(1, 500));
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    return { id, nodeId: nodeId('team', id), slug, name, description: `The ${name} team`, members: [] };
  });
  // Each team owns a slice of the repos; members work there.
  const teamRepos = teams.map((_, t) => {
    const own: number[] = [];
    for (let r = 0; r < repoCount; r++) if (r % teams.length === t) own.push(r);
    if (own.length === 0) own.push(t % repoCount);
    return own;
  });
  for (const a of actors) {
    if (a.isBot || a.role === 'ghost') continue;
    const t1 = rng.int(0, teams.length - 1);
    const mine = [t1];
    if (teams.length > 1 && rng.chance(0.3)) mine.push((t1 + rng.int(1, teams.length - 1)) % teams.length);
    const homes = new Set<number>();
    for (const t of mine) {
      (teams[t] as SimTeam).members.push(a.login);
      for (const r of teamRepos[t] as number[]) homes.add(r);
    }
    if (rng.chance(0.4)) homes.add(rng.int(0, repoCount - 1));
    a.homeRepos = [...homes].sort((x, y) => x - y);
  }
  for (const a of actors) if (a.role === 'ghost') a.homeRepos = [0];
  for (const t of teams) t.members.sort();
  return teams;
}
