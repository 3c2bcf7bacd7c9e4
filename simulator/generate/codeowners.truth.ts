// The CODEOWNERS truth, computed from each repo's planted text and its data by the definitions
// of docs/simulator.md, independently of the product: the last matching rule holds a file;
// an owner has touched an area when they changed one of its files or, in the last 180 days,
// reviewed a merged PR touching one of its directories; the main author authors (DOA) the most
// of its files. The planted patterns are all `/dir/`, so a prefix test is the whole matcher.
import type { CodeownersTruth, SimOrg } from '../model.ts';
import { commitIdentities, doaAuthors, fileChangers, isCodeFile } from './doa.ts';
import { DAY } from './time.ts';
import { dirOf, dirReviewers } from './dir-reviewers.ts';

interface Rule {
  line: number;
  pattern: string;
  owners: string[];
}

export function codeownersTruth(org: SimOrg, now: number, counted: (login: string) => boolean): CodeownersTruth[] {
  const people = new Set(org.people.filter((p) => !p.deleted).map((p) => p.login));
  const teams = new Map(org.teams.map((t) => [`@${org.org.login}/${t.slug}`.toLowerCase(), t.members]));
  const out: CodeownersTruth[] = [];
  for (const repo of org.repos) {
    if (!repo.codeowners) continue;
    const identityOf = commitIdentities(repo.commits);
    const authors = doaAuthors(repo.commits, identityOf);
    const changers = fileChangers(repo.commits, identityOf);
    const reviewers = dirReviewers(repo, org.pulls, now - 180 * DAY, now, counted);
    const byEmail = new Map(repo.commits.map((c) => [c.authorEmail.toLowerCase(), identityOf(c)]));
    const rules: Rule[] = [];
    const malformedLines: number[] = [];
    const unknownOwners = new Set<string>();
    repo.codeowners.text.split('\n').forEach((raw, i) => {
      const [pattern, ...owners] = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
      if (!pattern) return;
      if (owners.some((o) => !o.includes('@'))) malformedLines.push(i + 1);
      else rules.push({ line: i + 1, pattern, owners });
    });
    const declaredOf = (r: Rule) => {
      const who = new Set<string>();
      for (const o of r.owners) {
        const found = o.includes('/') ? teams.get(o.toLowerCase()) : o.startsWith('@') ? (people.has(o.slice(1)) ? [o.slice(1)] : undefined) : byEmail.has(o.toLowerCase()) ? [byEmail.get(o.toLowerCase())!] : undefined;
        if (!found) unknownOwners.add(o);
        for (const x of found ?? []) who.add(x);
      }
      return who;
    };
    const files = [...authors.keys()].filter(isCodeFile).sort();
    const ruleOf = (f: string) => rules.filter((r) => f.startsWith(r.pattern.slice(1))).pop();
    const area = new Map(rules.map((r) => [r, files.filter((f) => ruleOf(f) === r)]));
    const truthRules = rules.map((r) => {
      const mine = area.get(r)!;
      const declared = declaredOf(r);
      const touched = new Set([...mine.flatMap((f) => [...(changers.get(f) ?? [])]), ...mine.flatMap((f) => [...(reviewers.get(dirOf(f)) ?? [])])]);
      const authored = new Map<string, number>();
      for (const f of mine) for (const a of authors.get(f) ?? []) authored.set(a, (authored.get(a) ?? 0) + 1);
      const [first, second] = [...authored].sort(([, x], [, y]) => y - x);
      const unique = first && (!second || second[1] < first[1]) && people.has(first[0]) && counted(first[0]);
      const mainAuthor = unique ? first[0] : null;
      return {
        line: r.line,
        pattern: r.pattern,
        files: mine.length,
        ownersNeverTouched: mine.length > 0 && declared.size > 0 && ![...declared].some((d) => touched.has(d)),
        mainAuthor,
        mainAuthorDeclared: mainAuthor === null ? null : declared.has(mainAuthor),
      };
    });
    out.push({
      repo: repo.name,
      path: repo.codeowners.path,
      rules: truthRules,
      neverTouched: truthRules.filter((r) => r.ownersNeverTouched).map((r) => r.line),
      undeclaredMainAuthor: truthRules.filter((r) => r.mainAuthorDeclared === false).map((r) => r.line),
      uncoveredFiles: files.filter((f) => !ruleOf(f)?.owners.length),
      malformedLines,
      unknownOwners: [...unknownOwners].sort(),
    });
  }
  return out;
}
