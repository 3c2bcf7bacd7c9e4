// CODEOWNERS with known drift, one per repo at `.github/CODEOWNERS` (written by the first
// commit, docs/simulator.md). Each code directory gets a rule naming its main author (a team of
// theirs for one of them, an e-mail where the author has no account), except the planted drift:
//   - one directory is owned by a member who never changed or reviewed anything in it;
//   - one is owned by someone who worked there, but not its main author;
//   - one is left without a rule, so its files are uncovered;
//   - a malformed line (an owner without "@") and an owner with no account.
// Deterministic: no random choices, only sorted data. The truth is computed from the text
// (codeowners.truth.ts), not from these intentions.
import type { SimOrg, SimRepo, SimTeam } from '../model.ts';
import { commitIdentities, doaAuthors, fileChangers, isCodeFile } from './doa.ts';
import { dirOf } from './dir-reviewers.ts';

export const CODEOWNERS_PATH = '.github/CODEOWNERS';

export function plantCodeowners(org: SimOrg): void {
  const members = org.people.filter((p) => p.type === 'User' && !p.deleted && p.isMember && !p.login.endsWith('[bot]')).map((p) => p.login).sort();
  for (const repo of org.repos) {
    const text = codeownersFor(org, repo, members);
    if (text) repo.codeowners = { path: CODEOWNERS_PATH, text };
  }
}

function codeownersFor(org: SimOrg, repo: SimRepo, members: string[]): string | null {
  const identityOf = commitIdentities(repo.commits);
  const authors = doaAuthors(repo.commits, identityOf);
  const changers = fileChangers(repo.commits, identityOf);
  const filesOf = new Map<string, string[]>();
  for (const path of authors.keys()) {
    if (!isCodeFile(path) || dirOf(path) === '') continue;
    filesOf.set(dirOf(path), [...(filesOf.get(dirOf(path)) ?? []), path]);
  }
  const dirs = [...filesOf.keys()].sort();
  // Directories no other one nests in or under: their rule is the only one for their files.
  const alone = dirs.filter((d) => !dirs.some((o) => o !== d && (o.startsWith(`${d}/`) || d.startsWith(`${o}/`))));
  if (alone.length < 3) return null;
  const memberSet = new Set(members);
  const emailOf = new Map<string, string>();
  for (const c of repo.commits) if (!emailOf.has(identityOf(c))) emailOf.set(identityOf(c), c.authorEmail);
  const byPr = new Map(repo.commits.filter((c) => c.prNumber !== null).map((c) => [c.prNumber!, c]));
  const pulls = org.pulls.filter((p) => p.repo === repo.name);
  const workedCache = new Map<string, Set<string>>();
  // Anyone who ever changed or reviewed anything under d: wider than "touched", so a stranger is one.
  const worked = (d: string) => {
    let who = workedCache.get(d);
    if (who) return who;
    workedCache.set(d, (who = new Set()));
    for (const c of repo.commits) if (touches(c.changes, d)) who.add(identityOf(c));
    for (const p of pulls) if (touches([...(p.files ?? []), ...(byPr.get(p.number)?.changes ?? [])], d)) for (const r of p.reviews) who.add(r.author);
    return who;
  };
  const ranked = (d: string) => {
    const n = new Map<string, number>();
    for (const f of filesOf.get(d)!) for (const a of authors.get(f) ?? []) n.set(a, (n.get(a) ?? 0) + 1);
    return [...n].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  };
  const mainOf = (d: string) => ranked(d)[0]?.[0] ?? null;
  // The planted undeclared main author must be one without a tie, and a member.
  const clearMain = (d: string) => {
    const [first, second] = ranked(d);
    return first && (!second || second[1] < first[1]) && memberSet.has(first[0]);
  };
  const ownerOf = (identity: string) => (memberSet.has(identity) ? `@${identity}` : (emailOf.get(identity) ?? null));

  const uncovered = alone[alone.length - 1]!;
  const neverDir = alone.find((d) => d !== uncovered && members.some((m) => !worked(d).has(m)));
  const stranger = neverDir ? members.find((m) => !worked(neverDir).has(m))! : null;
  const helperOf = (d: string) => {
    const main = mainOf(d);
    return [...new Set(filesOf.get(d)!.flatMap((f) => [...(changers.get(f) ?? [])]))].filter((x) => x !== main && memberSet.has(x)).sort()[0] ?? null;
  };
  const undeclaredDir = alone.find((d) => d !== uncovered && d !== neverDir && clearMain(d) && helperOf(d) !== null);
  const teamOf = (login: string) => org.teams.find((t) => t.members.includes(login));
  let teamUsed = false;
  const lines = ['# Code owners (simulated): who reviews changes to each area', ''];
  for (const d of dirs) {
    if (d === uncovered) continue;
    let owners: string | null;
    if (d === neverDir) owners = `@${stranger}`;
    else if (d === undeclaredDir) owners = `@${helperOf(d)}`;
    else {
      const main = mainOf(d);
      const team: SimTeam | undefined = main && !teamUsed ? teamOf(main) : undefined;
      teamUsed ||= team !== undefined;
      owners = team ? `@${org.org.login}/${team.slug}` : main ? ownerOf(main) : null;
    }
    if (owners) lines.push(`/${d}/ ${owners}`);
  }
  lines.push('', '# Left from an old layout', '/legacy/ legacy-owners', `/tools/old/ @former-contractor-${org.seed}`, '');
  return lines.join('\n');
}

function under(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

function touches(changes: readonly { path: string; from?: string }[], dir: string): boolean {
  return changes.some((ch) => under(ch.path, dir) || (ch.from !== undefined && under(ch.from, dir)));
}
