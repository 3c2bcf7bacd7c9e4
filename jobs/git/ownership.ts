// Ownership per leaf directory (the folder that directly holds the files): who authors it (DOA),
// who reviews changes to it, how fragmented it is, and whether it is a knowledge island.
// Island (DESIGN.md, shared definitions): ≥ 3 code files, the DOA authors of its files plus the
// non-author reviewers of merged PRs touching it in the last 180 days are exactly one person,
// and that person is active (activity within 90 days).
// Orphaned file: a code file at the analysed revision that has DOA authors, every one of whom
// has departed. Every orphaned count (per repo, per directory, the orphaned directories) is a
// count of such files, so a summary and the list beside it always add up.

export const ISLAND_MIN_FILES = 3;

export interface DirectoryOwnership {
  directory: string;
  files: number;
  /** Authors by number of the directory's files they author, most first. */
  authors: { author: string; files: number; share: number }[];
  reviewers: string[];
  /** 1 − Σ share², share = an author's files ÷ all author-file pairs here (0 = one owner). */
  fragmentation: number;
  /** One person holds it: the only author and the only reviewer (whether active or not). */
  soleOwner: string | null;
  /** soleOwner is active and the directory has enough files to matter. */
  isIsland: boolean;
  /** Its orphaned files (isOrphanedFile). */
  orphanedFiles: number;
  /** Every one of its files is orphaned. */
  isOrphaned: boolean;
}

export function directoryOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '.' : path.slice(0, i);
}

export interface OwnershipInput {
  /** Code file → its authors. */
  fileAuthors: ReadonlyMap<string, readonly string[]>;
  /** Directory → non-author reviewers of merged PRs that touched it in the review window. */
  reviewers?: ReadonlyMap<string, ReadonlySet<string>>;
  isActive: (person: string) => boolean;
  isDeparted: (person: string) => boolean;
}

/** A file with authors who have all departed; a file with no author at all (only bots) is not one. */
export function isOrphanedFile(authors: readonly string[], isDeparted: (person: string) => boolean): boolean {
  return authors.length > 0 && authors.every(isDeparted);
}

export function directoryOwnership(input: OwnershipInput): DirectoryOwnership[] {
  const byDir = new Map<string, { files: number; orphaned: number; counts: Map<string, number> }>();
  for (const [file, authors] of input.fileAuthors) {
    const dir = directoryOf(file);
    let d = byDir.get(dir);
    if (!d) byDir.set(dir, (d = { files: 0, orphaned: 0, counts: new Map() }));
    d.files++;
    if (isOrphanedFile(authors, input.isDeparted)) d.orphaned++;
    for (const a of authors) d.counts.set(a, (d.counts.get(a) ?? 0) + 1);
  }
  const out: DirectoryOwnership[] = [];
  for (const [directory, d] of byDir) {
    const pairs = [...d.counts.values()].reduce((s, n) => s + n, 0);
    const authors = [...d.counts.entries()]
      .map(([author, files]) => ({ author, files, share: pairs ? files / pairs : 0 }))
      .sort((a, b) => b.files - a.files || (a.author < b.author ? -1 : 1));
    const reviewers = [...(input.reviewers?.get(directory) ?? [])].sort();
    const everyone = new Set([...authors.map((a) => a.author), ...reviewers]);
    const soleOwner = everyone.size === 1 ? [...everyone][0]! : null;
    out.push({
      directory,
      files: d.files,
      authors,
      reviewers,
      fragmentation: 1 - authors.reduce((s, a) => s + a.share * a.share, 0),
      soleOwner,
      isIsland: soleOwner !== null && d.files >= ISLAND_MIN_FILES && input.isActive(soleOwner),
      orphanedFiles: d.orphaned,
      isOrphaned: d.orphaned === d.files,
    });
  }
  return out.sort((a, b) => (a.directory < b.directory ? -1 : 1));
}

/** The orphaned files (isOrphanedFile), sorted. */
export function orphanedFiles(fileAuthors: ReadonlyMap<string, readonly string[]>, isDeparted: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const [file, authors] of fileAuthors) if (isOrphanedFile(authors, isDeparted)) out.push(file);
  return out.sort();
}
