// The file state of one repository as its history is replayed in time order, and the file
// changes of a PR or push made against it. The PR's additions/deletions are the changes' sums.
import type { SimFileChange } from '../model.ts';
import type { Rng } from './random.ts';
import type { RepoPlan } from './repos.ts';
import { newFileName } from './repos.ts';

export interface FileState {
  lines: Map<string, number>;
  byDir: Map<string, Set<string>>;
}

export function createFileState(): FileState {
  return { lines: new Map(), byDir: new Map() };
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function applyChanges(st: FileState, changes: SimFileChange[]): void {
  for (const c of changes) {
    if (c.kind === 'delete') {
      st.lines.delete(c.path);
      st.byDir.get(dirOf(c.path))?.delete(c.path);
      continue;
    }
    if (c.kind === 'rename' && c.from) {
      const before = st.lines.get(c.from) ?? 0;
      st.lines.delete(c.from);
      st.byDir.get(dirOf(c.from))?.delete(c.from);
      st.lines.set(c.path, Math.max(1, before + c.additions - c.deletions));
    } else {
      const before = st.lines.get(c.path) ?? 0;
      st.lines.set(c.path, Math.max(1, before + c.additions - c.deletions));
    }
    let set = st.byDir.get(dirOf(c.path));
    if (!set) st.byDir.set(dirOf(c.path), (set = new Set()));
    set.add(c.path);
  }
}

export type ChangeKind = 'code' | 'huge' | 'bot' | 'docs' | 'config' | 'gen';

export interface ChangeRequest {
  kind: ChangeKind;
  /** Main directory (code kinds). */
  dir: string;
  /** Exact additions + deletions of the result. */
  total: number;
  canAdd: boolean;
  /** Allow deletes and renames (never in planted directories). */
  canRestructure: boolean;
}

/** Changes whose additions + deletions equal `req.total` exactly, made against `st`. */
export function makeChanges(st: FileState, rng: Rng, plan: RepoPlan, req: ChangeRequest): SimFileChange[] {
  if (req.kind === 'bot') {
    const m = Math.min(2, req.total);
    const manifest = { path: plan.manifest, kind: 'modify' as const, additions: Math.ceil(m / 2), deletions: Math.floor(m / 2) };
    const rest = req.total - m;
    const out: SimFileChange[] = [manifest];
    if (rest > 0) out.push({ path: plan.lockFile, kind: 'modify', additions: Math.ceil(rest / 2), deletions: Math.floor(rest / 2) });
    return out;
  }
  const dir = req.kind === 'docs' ? plan.docsDir : req.kind === 'config' ? plan.configDir : req.kind === 'gen' ? plan.genDir : req.dir;
  const existing = [...(st.byDir.get(dir) ?? [])];
  const want = req.total < 40 ? rng.int(1, 2) : req.total < 250 ? rng.int(1, 4) : req.total < 1500 ? rng.int(3, 10) : rng.int(6, 24);
  const nFiles = Math.max(1, Math.min(want, existing.length + (req.canAdd ? 3 : 0)));
  rng.shuffle(existing);
  // Split the total into nFiles positive shares.
  const shares: number[] = [];
  let left = req.total;
  for (let i = 0; i < nFiles; i++) {
    const s = i === nFiles - 1 ? left : Math.max(1, Math.min(left - (nFiles - 1 - i), Math.round((left / (nFiles - i)) * (0.4 + rng.next() * 1.2))));
    shares.push(s);
    left -= s;
  }
  const out: SimFileChange[] = [];
  const used = new Set<string>();
  let carry = 0;
  for (let i = 0; i < nFiles; i++) {
    const share = (shares[i] as number) + carry;
    carry = 0;
    const path = existing[i];
    const isLast = i === nFiles - 1;
    if (!path || (req.canAdd && rng.chance(0.12))) {
      if (!req.canAdd) { carry = share; continue; }
      const p = newFileName(rng, dir, plan.lang, (q) => st.lines.has(q) || used.has(q));
      used.add(p);
      out.push({ path: p, kind: 'add', additions: share, deletions: 0 });
      continue;
    }
    used.add(path);
    const lines = st.lines.get(path) ?? 1;
    if (req.canRestructure && !isLast && existing.length > 4) {
      if (lines <= share && rng.chance(0.04)) {
        out.push({ path, kind: 'delete', additions: 0, deletions: lines });
        carry = share - lines;
        continue;
      }
      if (rng.chance(0.03)) {
        const to = newFileName(rng, dir, plan.lang, (q) => st.lines.has(q) || used.has(q));
        used.add(to);
        out.push({ path: to, from: path, kind: 'rename', additions: 0, deletions: 0 });
        carry = share;
        continue;
      }
    }
    const del = Math.min(Math.floor(share * (0.1 + rng.next() * 0.4)), Math.max(0, lines - 1));
    out.push({ path, kind: 'modify', additions: share - del, deletions: del });
  }
  if (carry > 0) {
    // Whatever a delete or rename did not use goes to the first modified or added file.
    const target = out.find((c) => c.kind === 'modify' || c.kind === 'add');
    if (target) target.additions += carry;
    else out.push({ path: newFileName(rng, dir, plan.lang, (q) => st.lines.has(q) || used.has(q)), kind: 'add', additions: carry, deletions: 0 });
  }
  return out;
}
