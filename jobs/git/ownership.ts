// Ownership per leaf directory (the folder that directly holds the files): who authors it (DOA),
// who reviews changes to it, how fragmented it is, and whether it is a knowledge island.
// Island (DESIGN.md, shared definitions): ≥ 3 code files, the DOA authors of its files plus the
// non-author reviewers of merged PRs touching it in the last 180 days are exactly one person,
// and that person is active (activity within 90 days).

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
  /** It has authors and every one of them has departed. */
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

export function directoryOwnership(input: OwnershipInput): DirectoryOwnership[] {
  const byDir = new Map<string, { files: number; counts: Map<string, number> }>();
  for (const [file, authors] of input.fileAuthors) {
    const dir = directoryOf(file);
    let d = byDir.get(dir);
    if (!d) byDir.set(dir, (d = { files: 0, counts: new Map() }));
    d.files++;
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
      isOrphaned: authors.length > 0 && authors.every((a) => input.isDeparted(a.author)),
    });
  }
  return out.sort((a, b) => (a.directory < b.directory ? -1 : 1));
}

/** Code files whose every author has departed (or that have no author at all). */
export function orphanedFiles(fileAuthors: ReadonlyMap<string, readonly string[]>, isDeparted: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const [file, authors] of fileAuthors) if (authors.length > 0 && authors.every(isDeparted)) out.push(file);
  return out.sort();
}
