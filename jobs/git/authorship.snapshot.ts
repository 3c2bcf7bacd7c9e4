// Authorship of the files that exist at one point of history: DOA per merged identity, then the
// author rule (doa.ts). Memory is per file and per author, never per commit.
import { fileAuthorship, type HistoryState } from './doa.ts';
import type { Identity } from './identity.ts';

export interface FileAuthor {
  author: string;
  doa: number;
  created: boolean;
}

export interface AuthorshipSnapshot {
  /** Code file → author keys (DOA authors; bots never). */
  fileAuthors: Map<string, string[]>;
  /** Code file → authors with their DOA (only when asked for details). */
  details: Map<string, FileAuthor[]>;
  /** Every identity that authors at least one file, by key. */
  people: Map<string, Identity>;
}

/**
 * `identities[rawId]` is the merged identity of each raw id the history was recorded with;
 * `isCode(path)` says whether a path counts (linguist.ts). Files without history (none should
 * exist) are counted with no author.
 */
export function snapshotAuthorship(
  state: HistoryState,
  identities: readonly Identity[],
  files: Iterable<string>,
  opts: { details?: boolean } = {},
): AuthorshipSnapshot {
  // Merged ids: one small integer per identity key.
  const keyIndex = new Map<string, number>();
  const keys: Identity[] = [];
  const merged = new Int32Array(identities.length);
  identities.forEach((id, raw) => {
    let m = keyIndex.get(id.key);
    if (m === undefined) {
      m = keys.length;
      keyIndex.set(id.key, m);
      keys.push(id);
    }
    merged[raw] = m;
  });
  const merge = (raw: number) => merged[raw]!;
  const isBot = (m: number) => keys[m]!.isBot;

  const fileAuthors = new Map<string, string[]>();
  const details = new Map<string, FileAuthor[]>();
  const people = new Map<string, Identity>();
  for (const path of files) {
    const h = state.files.get(path);
    if (!h) {
      fileAuthors.set(path, []);
      continue;
    }
    const all = fileAuthorship(h, merge, isBot);
    const authors: string[] = [];
    for (const a of all) {
      if (!a.isAuthor) continue;
      const id = keys[a.dev]!;
      authors.push(id.key);
      people.set(id.key, id);
    }
    fileAuthors.set(path, authors);
    if (opts.details) details.set(path, all.filter((a) => a.isAuthor).map((a) => ({ author: keys[a.dev]!.key, doa: a.doa, created: a.created })));
  }
  return { fileAuthors, details, people };
}
