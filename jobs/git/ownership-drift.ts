// Declared ownership (CODEOWNERS) against real knowledge. For each rule, its area is the code
// files whose last matching rule it is (GitHub's "last match wins"). The people who really know
// an area are its DOA authors (jobs/git/doa.ts) and the reviewers, in the last 180 days, of
// merged PRs touching its directories (reviewers.load.ts). A declared owner has touched an area
// when they changed one of its files (any commit, history followed through renames) or
// reviewed there. Reported: areas none of whose declared owners touched them, areas whose
// knowers are not declared (the main author first), files no rule gives an owner, the lines
// GitHub would skip and the owners no person or team stands behind.
import type { HistoryState } from './doa.ts';
import type { Identity, MergedIdentity } from './identity.ts';
import { directoryOf } from './ownership.ts';
import { ownerKind, ruleFor, type Codeowners } from './codeowners.ts';
import type { DriftReport, Knower, RuleDrift, UnknownOwner } from '../../server/db/codeowners.report.ts';

export type { DriftReport, Knower, RuleDrift, UnknownOwner };

export interface DriftPerson {
  key: string;
  name: string;
  login: string | null;
  emails: readonly string[];
  departed?: boolean;
}

export interface DriftInput {
  codeowners: Codeowners | null;
  /** Code files at the analysed revision. */
  files: readonly string[];
  fileAuthors: ReadonlyMap<string, readonly string[]>;
  /** Keys of everyone who changed the file (bots left out). */
  touchers: (file: string) => Iterable<string>;
  /** Directory → reviewer keys of the review window. */
  reviewers?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Everyone an owner can name: org people by login, commit identities by e-mail. */
  people: readonly DriftPerson[];
  /** `org/slug` (lower case) → member logins; null when no org is synced (teams stay unknown). */
  teams: ReadonlyMap<string, readonly string[]> | null;
}

const label = (p: { login: string | null; name: string }) => p.login ?? p.name;

/** Who changed each file, by identity key, from the replayed history (bots left out). */
export function touchersFrom(state: HistoryState, identities: readonly Identity[]): (file: string) => string[] {
  return (file) => {
    const h = state.files.get(file);
    if (!h) return [];
    const keys = new Set<string>();
    for (const raw of [...h.adds.keys(), ...h.mods.keys()]) {
      const id = identities[raw];
      if (id && !id.isBot) keys.add(id.key);
    }
    return [...keys];
  };
}

/** One person per identity key, with every e-mail its commits used (bots left out). */
export function identityPeople(identities: readonly Identity[], merged: readonly MergedIdentity[], departed: (key: string) => boolean = () => false): DriftPerson[] {
  const emailsOf = new Map(merged.map((m) => [m.key, m.members.map((x) => x.email)]));
  const out = new Map<string, DriftPerson>();
  for (const id of identities) {
    if (id.isBot || out.has(id.key)) continue;
    out.set(id.key, { key: id.key, name: id.name, login: id.login, emails: [id.email, ...(emailsOf.get(id.key) ?? [])], departed: departed(id.key) });
  }
  return [...out.values()];
}

export function ownershipDrift(input: DriftInput): DriftReport {
  const co = input.codeowners;
  if (!co) return { path: null, problems: [], unknownOwners: [], rules: [], uncoveredFiles: [...input.files].sort() };
  const byLogin = new Map<string, DriftPerson>();
  const byEmail = new Map<string, DriftPerson>();
  const byKey = new Map<string, DriftPerson>();
  for (const p of input.people) {
    byKey.set(p.key, p);
    if (p.login) byLogin.set(p.login.toLowerCase(), p);
    for (const e of p.emails) byEmail.set(e.toLowerCase(), p);
  }
  const unknown = new Map<string, UnknownOwner>();
  const flag = (owner: string, line: number, why: string) => {
    const u = unknown.get(owner) ?? { owner, lines: [], why };
    if (!u.lines.includes(line)) u.lines.push(line);
    unknown.set(owner, u);
  };
  // A team member who never committed here is still a declared person, only without history.
  const personOfLogin = (login: string): DriftPerson => byLogin.get(login.toLowerCase()) ?? { key: `login:${login.toLowerCase()}`, name: login, login, emails: [] };
  const expand = (owner: string, line: number): DriftPerson[] => {
    const kind = ownerKind(owner);
    if (kind === 'user') {
      const p = byLogin.get(owner.slice(1).toLowerCase());
      if (!p) flag(owner, line, 'no person with this login is known here');
      return p ? [p] : [];
    }
    if (kind === 'email') {
      const p = byEmail.get(owner.toLowerCase());
      if (!p) flag(owner, line, 'no commit or person has this e-mail');
      return p ? [p] : [];
    }
    if (input.teams === null) {
      flag(owner, line, 'teams are unknown without a synced organisation');
      return [];
    }
    const members = input.teams.get(owner.slice(1).toLowerCase());
    if (!members) flag(owner, line, 'no synced team has this name');
    return (members ?? []).map(personOfLogin);
  };

  const areas = new Map(co.rules.map((r) => [r, [] as string[]]));
  const uncoveredFiles: string[] = [];
  for (const f of input.files) {
    const rule = ruleFor(co.rules, f);
    if (rule) areas.get(rule)!.push(f);
    if (!rule || rule.owners.length === 0) uncoveredFiles.push(f);
  }

  const rules = co.rules.map((rule): RuleDrift => {
    const files = areas.get(rule)!;
    const declared = new Map<string, DriftPerson>();
    for (const o of rule.owners) for (const p of expand(o, rule.line)) declared.set(p.key, p);
    const authored = new Map<string, number>();
    const touched = new Set<string>();
    const reviewed = new Set<string>();
    for (const f of files) {
      for (const a of input.fileAuthors.get(f) ?? []) authored.set(a, (authored.get(a) ?? 0) + 1);
      for (const k of input.touchers(f)) touched.add(k);
    }
    for (const d of new Set(files.map(directoryOf))) for (const k of input.reviewers?.get(d) ?? []) reviewed.add(k);
    const untouched = [...declared.values()].filter((p) => !touched.has(p.key) && !reviewed.has(p.key));
    const knowers = [...new Set([...authored.keys(), ...reviewed])]
      .map((key): Knower => {
        const p = byKey.get(key);
        return {
          name: p ? label(p) : key.replace(/^git:/, ''),
          login: p?.login ?? null,
          files: authored.get(key) ?? 0,
          reviewed: reviewed.has(key),
          declared: declared.has(key),
          departed: p?.departed ?? false,
        };
      })
      .sort((a, b) => b.files - a.files || Number(b.reviewed) - Number(a.reviewed) || (a.name < b.name ? -1 : 1));
    const main = knowers[0] && knowers[0].files > 0 ? knowers[0] : null;
    return {
      line: rule.line,
      pattern: rule.pattern,
      owners: rule.owners,
      files: files.length,
      declared: [...declared.values()].map(label).sort(),
      untouchedOwners: untouched.map(label).sort(),
      ownersNeverTouched: files.length > 0 && declared.size > 0 && untouched.length === declared.size,
      knowers,
      undeclaredKnowers: knowers.filter((k) => !k.declared).map((k) => k.name),
      mainAuthor: main?.name ?? null,
      mainAuthorDeclared: main ? main.declared : null,
    };
  });
  return {
    path: co.path,
    problems: co.problems,
    unknownOwners: [...unknown.values()].sort((a, b) => a.lines[0]! - b.lines[0]! || (a.owner < b.owner ? -1 : 1)),
    rules,
    uncoveredFiles: uncoveredFiles.sort(),
  };
}
