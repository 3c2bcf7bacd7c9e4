// Degree of authorship, Avelino et al., "A Novel Approach for Estimating Truck Factors",
// ICPC 2016 (and DESIGN.md, "Knowledge from git"):
//   DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)
// FA = 1 if d created f (history followed through renames; a later add of the same path by
// someone else also counts as creating it), DL = d's later changes to f, AC = changes to f by
// others. d is an author of f if DOA / max DOA(f) > 0.75 and (DOA ≥ 3.293 or d created f).
// Deletions are ignored (the file's history survives a delete and re-add); merge commits bring
// no file changes (the caller passes none for them).
import type { FileChange } from './log.parse.ts';

export const DOA_BASE = 3.293;
export const DOA_FA = 1.098;
export const DOA_DL = 0.164;
export const DOA_AC = 0.321;
export const AUTHOR_RELATIVE = 0.75;

/** Per-file counters keyed by a developer id (a raw identity id; merged at snapshot time). */
export interface FileHistory {
  /** dev → number of times d added this path. */
  adds: Map<number, number>;
  /** dev → number of d's other changes (modifications, renames). */
  mods: Map<number, number>;
  /** All changes to the file by anyone (adds included). */
  total: number;
}

/** History replayed so far: every path ever seen, and which exist right now. */
export interface HistoryState {
  files: Map<string, FileHistory>;
  alive: Set<string>;
}

export function emptyHistory(): HistoryState {
  return { files: new Map(), alive: new Set() };
}

function history(state: HistoryState, path: string): FileHistory {
  let h = state.files.get(path);
  if (!h) {
    h = { adds: new Map(), mods: new Map(), total: 0 };
    state.files.set(path, h);
  }
  return h;
}

function bump(m: Map<number, number>, dev: number): void {
  m.set(dev, (m.get(dev) ?? 0) + 1);
}

/** Applies one commit's changes by `dev`, in history order (parents before children). */
export function applyChanges(state: HistoryState, dev: number, changes: readonly FileChange[]): void {
  for (const c of changes) {
    switch (c.status) {
      case 'A': {
        const h = history(state, c.path);
        bump(h.adds, dev);
        h.total++;
        state.alive.add(c.path);
        break;
      }
      case 'M': {
        const h = history(state, c.path);
        bump(h.mods, dev);
        h.total++;
        state.alive.add(c.path);
        break;
      }
      case 'R': {
        // The file keeps its history under the new name; the rename itself is a change by dev.
        const old = c.oldPath ?? c.path;
        const h = state.files.get(old) ?? { adds: new Map(), mods: new Map(), total: 0 };
        state.files.delete(old);
        state.alive.delete(old);
        state.files.set(c.path, h);
        bump(h.mods, dev);
        h.total++;
        state.alive.add(c.path);
        break;
      }
      case 'D':
        state.alive.delete(c.path);
        break;
    }
  }
}

export function doa(fa: number, dl: number, ac: number): number {
  return DOA_BASE + DOA_FA * fa + DOA_DL * dl - DOA_AC * Math.log(1 + ac);
}

export interface Authorship {
  /** Merged developer id (index into the identities the caller resolved). */
  dev: number;
  doa: number;
  created: boolean;
  /** DOA / max DOA of the file. */
  relative: number;
  isAuthor: boolean;
}

/**
 * DOA of every developer who touched the file, with raw ids merged through `merge` (raw id →
 * merged id). Developers for whom `skip(mergedId)` is true (bots) are never authors but their
 * changes still count as others' changes (AC) for everybody else.
 */
export function fileAuthorship(h: FileHistory, merge: (raw: number) => number, skip?: (dev: number) => boolean): Authorship[] {
  // Merged ids with their adds and other changes, in parallel arrays: a file has few developers,
  // and this runs once per file of the revision (Maps and Sets here cost more than the rest).
  const devs: number[] = [];
  const adds: number[] = [];
  const mods: number[] = [];
  const slot = (raw: number) => {
    const d = merge(raw);
    let i = devs.indexOf(d);
    if (i === -1) {
      i = devs.push(d) - 1;
      adds.push(0);
      mods.push(0);
    }
    return i;
  };
  for (const [raw, n] of h.adds) adds[slot(raw)]! += n;
  for (const [raw, n] of h.mods) mods[slot(raw)]! += n;
  const out: Authorship[] = [];
  let max = -Infinity;
  for (let i = 0; i < devs.length; i++) {
    const dev = devs[i]!;
    if (skip?.(dev)) continue;
    const a = adds[i]!;
    const m = mods[i]!;
    const created = a > 0;
    const value = doa(created ? 1 : 0, m, h.total - a - m);
    if (value > max) max = value;
    out.push({ dev, doa: value, created, relative: 0, isAuthor: false });
  }
  for (const x of out) {
    x.relative = max > 0 ? x.doa / max : 0;
    x.isAuthor = max > 0 && x.relative > AUTHOR_RELATIVE && (x.doa >= DOA_BASE || x.created);
  }
  out.sort((a, b) => b.doa - a.doa || a.dev - b.dev);
  return out;
}
