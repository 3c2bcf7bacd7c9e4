// Truck factor, Avelino et al. (ICPC 2016), Algorithm 1: repeatedly remove the author of the
// most files until fewer than 50% of the files have an author left; TF is the number removed.

export interface TruckFactorResult {
  truckFactor: number;
  /** The removed authors in order, each with the files they author (what the TF "covers"). */
  removed: { author: string; files: string[] }[];
  /** Files with at least one author before any removal. */
  coveredFiles: number;
  totalFiles: number;
}

/**
 * `fileAuthors`: file → its authors. Authors in `gone` are taken out first without being
 * counted (the view without departed people); with an empty `gone` this is the paper's figure.
 */
export function truckFactor(fileAuthors: ReadonlyMap<string, readonly string[]>, gone: ReadonlySet<string> = new Set()): TruckFactorResult {
  const filesOf = new Map<string, string[]>();
  const remaining = new Map<string, number>();
  let covered = 0;
  for (const [file, authors] of fileAuthors) {
    let left = 0;
    for (const a of authors) {
      let list = filesOf.get(a);
      if (!list) filesOf.set(a, (list = []));
      list.push(file);
      if (!gone.has(a)) left++;
    }
    remaining.set(file, left);
    if (left > 0) covered++;
  }
  const totalFiles = fileAuthors.size;
  const coveredFiles = covered;
  // The ranking never changes as others are removed (an author's files are fixed), so one sort
  // gives the paper's "top author" at every step. Ties broken by key for a stable answer.
  const order = [...filesOf.entries()]
    .filter(([a]) => !gone.has(a))
    .sort((x, y) => y[1].length - x[1].length || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const removed: TruckFactorResult['removed'] = [];
  for (const [author, files] of order) {
    if (totalFiles === 0 || covered / totalFiles < 0.5) break;
    removed.push({ author, files: [...files].sort() });
    for (const f of files) {
      const left = remaining.get(f)! - 1;
      remaining.set(f, left);
      if (left === 0) covered--;
    }
  }
  return { truckFactor: removed.length, removed, coveredFiles, totalFiles };
}
