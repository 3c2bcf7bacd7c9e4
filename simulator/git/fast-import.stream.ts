// Turns SimCommits into a `git fast-import` stream (git-fast-import(1), "INPUT FORMAT").
// Pure and deterministic: the same commits give the same bytes, hence the same SHAs. Author and
// committer are the same person at the same instant in +0000, like GitHub's squash merges.
import type { SimCommit } from '../model.ts';

/** Blob lines are capped so a huge PR costs git little; the size still follows `additions`. */
const MAX_LINES = 120;

/** Line bodies by length, built once: a blob is a unique first line plus one of these. */
const FILLER: string[] = [''];
for (let i = 1; i < MAX_LINES; i++) FILLER.push(`${FILLER[i - 1]}${i}\n`);

/**
 * Content of `path` as written by `commitId`: cheap, sized by additions, and unique per
 * (path, commit) so that only a real rename gives git two equal blobs to pair up.
 */
export function blobContent(path: string, commitId: string, additions: number): string {
  const lines = Math.min(Math.max(additions, 1), MAX_LINES);
  return `// ${path} @ ${commitId}\n${FILLER[lines - 1]}`;
}

/**
 * One `commit` command. `paths` is the set of files on the branch before this commit and is
 * updated in place; it lets a rename or delete of a path the model never created degrade to an
 * add or a no-op instead of killing fast-import ("path not in branch").
 */
export function commitCommand(c: SimCommit, ref: string, mark: number, from: string | null, paths: Set<string>, extra?: { path: string; text: string }): string {
  const who = `${ident(c.authorName)} <${ident(c.authorEmail)}> ${epochSeconds(c.date, c.id)} +0000`;
  const message = c.message.endsWith('\n') ? c.message : `${c.message}\n`;
  let s = `commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n${data(message)}`;
  if (from) s += `from ${from}\n`;
  for (const ch of c.changes) {
    const kind = ch.kind === 'rename' && (!ch.from || !paths.has(ch.from) || ch.from === ch.path) ? 'add' : ch.kind;
    if (kind === 'delete') {
      if (!paths.delete(ch.path)) continue;
      s += `D ${quote(ch.path)}\n`;
    } else if (kind === 'rename') {
      // Content is kept as is: git then finds the rename by blob id alone, which also works in a
      // blob-less partial clone without fetching anything (diffcore-rename's exact pass).
      const from = ch.from as string;
      paths.delete(from);
      paths.add(ch.path);
      s += `R ${quote(from)} ${quote(ch.path)}\n`;
    } else {
      paths.add(ch.path);
      s += `M 100644 inline ${quote(ch.path)}\n${data(blobContent(ch.path, c.id, ch.additions))}`;
    }
  }
  // A file of the repo outside the model's changes (SimRepo.codeowners), written as it is.
  if (extra) {
    paths.add(extra.path);
    s += `M 100644 inline ${quote(extra.path)}\n${data(extra.text)}`;
  }
  return `${s}\n`;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text, 'utf8')}\n${text}\n`;
}

/** C-style quoting is accepted for every path and required for some (spaces in R, quotes, LF). */
function quote(path: string): string {
  return `"${path.replace(/[\\"]/g, (m) => `\\${m}`).replace(/\n/g, '\\n')}"`;
}

/** Names and e-mails may not hold `<`, `>` or line breaks in a git ident line. */
function ident(s: string): string {
  return s.replace(/[<>\r\n]/g, '').trim();
}

/** Throws the error `commitCommand` would, before any git process is started. */
export function checkCommit(c: SimCommit): void {
  epochSeconds(c.date, c.id);
}

function epochSeconds(iso: string, id: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Commit ${id} has date "${iso}", which is not an ISO-8601 instant; fix the simulated org.`);
  return Math.floor(ms / 1000);
}
