// Degree of authorship per file at HEAD, as DESIGN.md defines it (Avelino et al., ICPC 2016):
//   DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)
// d is an author of f if DOA / max DOA(f) > 0.75 and (DOA ≥ 3.293 or d created f).
// History is followed through renames; deletions are ignored; a later add by someone else
// also counts as creating. The simulator's own reference, independent of the product.
import type { SimCommit } from '../model.ts';

interface FileRecord {
  creators: Set<string>;
  changes: Map<string, number>;
  total: number;
}

/** Identity of each commit: one key per person, merging same e-mail, same name, same login. */
export function commitIdentities(commits: SimCommit[]): (c: SimCommit) => string {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let p = parent.get(x) ?? x;
    if (p !== x) { p = find(p); parent.set(x, p); }
    return p;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const c of commits) {
    const e = `email:${c.authorEmail.toLowerCase()}`;
    union(e, `name:${c.authorName.toLowerCase()}`);
    if (c.authorLogin) union(e, `login:${c.authorLogin}`);
  }
  // Name each component by its login when it has one.
  const loginOf = new Map<string, string>();
  for (const c of commits) if (c.authorLogin) loginOf.set(find(`login:${c.authorLogin}`), c.authorLogin);
  return (c) => {
    const root = find(`email:${c.authorEmail.toLowerCase()}`);
    return loginOf.get(root) ?? root;
  };
}

/** Who changed each file present at HEAD (identities), history followed through renames. */
export function fileChangers(commits: SimCommit[], identityOf: (c: SimCommit) => string): Map<string, Set<string>> {
  const { files, present } = replay(commits, identityOf);
  return new Map([...present].map((p) => [p, new Set((files.get(p) as FileRecord).changes.keys())]));
}

/** Authors (identities, logins where known) of every file present at HEAD. */
export function doaAuthors(commits: SimCommit[], identityOf: (c: SimCommit) => string): Map<string, string[]> {
  const { files, present } = replay(commits, identityOf);
  return doaOf(files, present);
}

function replay(commits: SimCommit[], identityOf: (c: SimCommit) => string): { files: Map<string, FileRecord>; present: Set<string> } {
  const files = new Map<string, FileRecord>();
  const present = new Set<string>();
  for (const c of commits) {
    const d = identityOf(c);
    for (const ch of c.changes) {
      if (ch.kind === 'delete') { present.delete(ch.path); continue; }
      let rec: FileRecord | undefined;
      if (ch.kind === 'rename' && ch.from) {
        rec = files.get(ch.from);
        files.delete(ch.from);
        present.delete(ch.from);
      } else {
        rec = files.get(ch.path);
      }
      if (!rec) rec = { creators: new Set(), changes: new Map(), total: 0 };
      if (ch.kind === 'add') rec.creators.add(d);
      rec.changes.set(d, (rec.changes.get(d) ?? 0) + 1);
      rec.total++;
      files.set(ch.path, rec);
      present.add(ch.path);
    }
  }
  return { files, present };
}

function doaOf(files: Map<string, FileRecord>, present: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const path of present) {
    const rec = files.get(path) as FileRecord;
    const scores: [string, number, boolean][] = [];
    let max = -Infinity;
    for (const [d, n] of rec.changes) {
      const fa = rec.creators.has(d) ? 1 : 0;
      const dl = n - fa;
      const ac = rec.total - n;
      const doa = 3.293 + 1.098 * fa + 0.164 * dl - 0.321 * Math.log(1 + ac);
      scores.push([d, doa, fa === 1]);
      if (doa > max) max = doa;
    }
    out.set(path, scores.filter(([, doa, fa]) => doa / max > 0.75 && (doa >= 3.293 || fa)).map(([d]) => d).sort());
  }
  return out;
}

const CODE_EXT = new Set(['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'go', 'py', 'rb', 'java', 'kt', 'rs', 'c', 'h', 'cpp', 'cs', 'swift', 'php', 'scala', 'sh', 'svelte', 'vue']);
const LOCK_FILES = new Set(['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'go.sum', 'poetry.lock', 'cargo.lock', 'composer.lock', 'gemfile.lock']);

/**
 * Code in the sense of the ≥ 3 code files rule: not vendored, docs, lock files, data or
 * generated. The generated files are named so Linguist's path rules agree (`__generated__/`,
 * `*.pb.go`, `*_pb2.py`), since a path-only classifier cannot read the "generated" header.
 */
export function isCodeFile(path: string): boolean {
  const segs = path.split('/');
  const base = (segs[segs.length - 1] as string).toLowerCase();
  if (segs.some((s) => s === 'vendor' || s === 'docs' || s === 'node_modules' || s === '__generated__')) return false;
  if (LOCK_FILES.has(base) || base.includes('.generated.') || base.endsWith('.min.js') || base.endsWith('.d.ts')) return false;
  if (base.endsWith('.pb.go') || base.endsWith('_pb2.py')) return false;
  const dot = base.lastIndexOf('.');
  return dot > 0 && CODE_EXT.has(base.slice(dot + 1));
}
