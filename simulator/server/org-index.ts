import type { SimCommit, SimOrg, SimPerson, SimPull, SimRepo, SimTeam } from '../model.ts';

/** Look-ups over a SimOrg, rebuilt whenever the org changes (evolve), so handlers never scan. */
export interface OrgIndex {
  org: SimOrg;
  people: Map<string, SimPerson>;
  repos: Map<string, SimRepo>;
  teams: Map<string, SimTeam>;
  /** repo → pulls ordered by number. */
  pullsByRepo: Map<string, SimPull[]>;
  /** repo → number → pull. */
  pull: Map<string, Map<number, SimPull>>;
  /** repo → commit id → commit. */
  commits: Map<string, Map<string, SimCommit>>;
  /** repo → PR number → id of the squash commit its merge landed as. */
  mergeCommit: Map<string, Map<number, string>>;
  /** The person the simulator's token belongs to. */
  viewer: SimPerson;
}

export function indexOrg(org: SimOrg): OrgIndex {
  const people = new Map(org.people.map((p) => [p.login, p]));
  const repos = new Map(org.repos.map((r) => [r.name, r]));
  const teams = new Map(org.teams.map((t) => [t.slug, t]));
  const pullsByRepo = new Map<string, SimPull[]>(org.repos.map((r) => [r.name, []]));
  for (const p of org.pulls) pullsByRepo.get(p.repo)?.push(p);
  const pull = new Map<string, Map<number, SimPull>>();
  for (const [repo, list] of pullsByRepo) {
    list.sort((a, b) => a.number - b.number);
    pull.set(repo, new Map(list.map((p) => [p.number, p])));
  }
  const commits = new Map(org.repos.map((r) => [r.name, new Map(r.commits.map((c) => [c.id, c]))]));
  const mergeCommit = new Map<string, Map<number, string>>();
  for (const r of org.repos) {
    const m = new Map<number, string>();
    for (const c of r.commits) if (c.prNumber !== null) m.set(c.prNumber, c.id);
    mergeCommit.set(r.name, m);
  }
  const viewer =
    org.people.find((p) => p.type === 'User' && !p.deleted && p.isMember && p.leftAt === null) ??
    org.people.find((p) => p.type === 'User' && !p.deleted);
  if (!viewer) throw new Error('the simulated org has no user who could own the token');
  return { org, people, repos, teams, pullsByRepo, pull, commits, mergeCommit, viewer };
}
