// Test setup: small git repositories built with `git fast-import` from a readable list of
// commits (fixed authors and dates), so DOA and truck factor can be computed by hand.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export interface FixtureCommit {
  /** `Name <email>`. */
  author: string;
  /** ISO date. */
  date: string;
  branch?: string;
  /** Label of the commit a new branch starts from. */
  from?: string;
  /** Label of a commit to merge in (makes a merge commit). */
  merge?: string;
  label?: string;
  add?: string[];
  modify?: string[];
  remove?: string[];
  rename?: [from: string, to: string][];
  /** Files written unchanged (a merge commit's tree must hold what it merges in). */
  carry?: string[];
  /** Exact content for files added/modified (e.g. .gitattributes). */
  content?: Record<string, string>;
}

// Mostly stable lines so rename detection sees the same file after a rename.
function text(path: string, version: number): string {
  return `${Array.from({ length: 20 }, (_, k) => `line ${k} of ${path.split('/').pop()} stays the same`).join('\n')}\nversion ${version}\n`;
}

/** Creates a repository at `dir` (bare when asked) holding `commits` on refs/heads/main etc. */
export function buildRepo(dir: string, commits: FixtureCommit[], opts: { bare?: boolean; append?: boolean } = {}): void {
  if (!opts.append) {
    mkdirSync(dir, { recursive: true });
    execFileSync('git', ['init', '-q', ...(opts.bare ? ['--bare'] : []), '-b', 'main', dir]);
  }
  // Appended commits continue each branch and write contents unlike any written before.
  const versions = new Map<string, number>();
  const base = opts.append ? 1000 : 0;
  const marks = new Map<string, number>();
  const tips = new Map<string, number>();
  let out = '';
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  commits.forEach((c, i) => {
    const mark = i + 1;
    const branch = c.branch ?? 'main';
    const m = /^(.*) <(.*)>$/.exec(c.author);
    if (!m) throw new Error(`bad author ${c.author}`);
    const when = Math.floor(Date.parse(c.date) / 1000);
    out += `commit refs/heads/${branch}\nmark :${mark}\n`;
    out += `author ${m[1]} <${m[2]}> ${when} +0000\ncommitter ${m[1]} <${m[2]}> ${when} +0000\n`;
    out += data(`commit ${i + 1}`);
    const parent = c.from ? marks.get(c.from) : tips.get(branch);
    if (parent !== undefined) out += `from :${parent}\n`;
    else if (opts.append) out += `from refs/heads/${branch}^0\n`;
    if (c.merge) out += `merge :${marks.get(c.merge)}\n`;
    const body = (path: string) => {
      if (c.content?.[path] !== undefined) return c.content[path]!;
      const v = (versions.get(path) ?? base) + 1;
      versions.set(path, v);
      return text(path, v);
    };
    for (const p of c.remove ?? []) out += `D ${p}\n`;
    for (const [from, to] of c.rename ?? []) {
      out += `R ${from} ${to}\n`;
      versions.set(to, versions.get(from) ?? 1);
    }
    for (const p of [...(c.add ?? []), ...(c.modify ?? [])]) out += `M 100644 inline ${p}\n${data(body(p))}`;
    for (const p of c.carry ?? []) out += `M 100644 inline ${p}\n${data(text(p, versions.get(p) ?? 1))}`;
    out += '\n';
    marks.set(c.label ?? `#${mark}`, mark);
    tips.set(branch, mark);
  });
  execFileSync('git', ['-C', dir, 'fast-import', '--quiet', '--done'], { input: `${out}done\n` });
  if (!opts.bare) execFileSync('git', ['-C', dir, 'reset', '-q', '--hard', 'main']);
}
