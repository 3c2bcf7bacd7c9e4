// From replayed history to the knowledge report of one revision: truck factor (with and without
// departed people), owners, directories, islands and orphaned areas. Shared by the CLI (any
// local repository, no database) and the sync job (which adds reviews and org-wide activity).
import type { HistoryState } from './doa.ts';
import type { Identity } from './identity.ts';
import { snapshotAuthorship, type FileAuthor } from './authorship.snapshot.ts';
import { truckFactor } from './truck-factor.ts';
import { directoryOwnership, orphanedFiles, type DirectoryOwnership } from './ownership.ts';

export const DEPARTED_AFTER_DAYS = 90;
const DAY_MS = 86_400_000;

export interface KnowledgeInput {
  state: HistoryState;
  identities: readonly Identity[];
  /** Code files at the analysed revision. */
  files: readonly string[];
  /** Last activity per identity key (ISO); missing = never active. */
  lastActivity: ReadonlyMap<string, string>;
  /** The instant activity is measured back from (the revision's date, or "now"). */
  asOf: string;
  reviewers?: ReadonlyMap<string, ReadonlySet<string>>;
  details?: boolean;
}

export interface PersonSummary {
  key: string;
  name: string;
  email: string;
  login: string | null;
  personId: number | null;
  files: number;
  lastActivityAt: string | null;
  departed: boolean;
}

export interface KnowledgeResult {
  files: number;
  authors: number;
  truckFactor: number;
  truckFactorAuthors: (PersonSummary & { coveredFiles: string[] })[];
  truckFactorWithoutDeparted: number;
  truckFactorWithoutDepartedAuthors: (PersonSummary & { coveredFiles: string[] })[];
  people: PersonSummary[];
  directories: DirectoryOwnership[];
  orphanedFiles: string[];
  fileAuthors: Map<string, string[]>;
  details: Map<string, FileAuthor[]>;
}

export function isDepartedAt(lastActivity: string | null | undefined, asOf: string): boolean {
  if (!lastActivity) return true;
  return Date.parse(lastActivity) < Date.parse(asOf) - DEPARTED_AFTER_DAYS * DAY_MS;
}

export function computeKnowledge(input: KnowledgeInput): KnowledgeResult {
  const snap = snapshotAuthorship(input.state, input.identities, input.files, { details: input.details ?? false });
  const departed = (key: string) => isDepartedAt(input.lastActivity.get(key), input.asOf);
  const fileCount = new Map<string, number>();
  for (const authors of snap.fileAuthors.values()) for (const a of authors) fileCount.set(a, (fileCount.get(a) ?? 0) + 1);
  const people: PersonSummary[] = [...snap.people.values()]
    .map((id) => ({
      key: id.key,
      name: id.login ?? id.name,
      email: id.email,
      login: id.login,
      personId: id.personId,
      files: fileCount.get(id.key) ?? 0,
      lastActivityAt: input.lastActivity.get(id.key) ?? null,
      departed: departed(id.key),
    }))
    .sort((a, b) => b.files - a.files || (a.key < b.key ? -1 : 1));
  const byKey = new Map(people.map((p) => [p.key, p]));
  const withPeople = (removed: { author: string; files: string[] }[]) => removed.map((r) => ({ ...byKey.get(r.author)!, coveredFiles: r.files }));

  const plain = truckFactor(snap.fileAuthors);
  const gone = new Set(people.filter((p) => p.departed).map((p) => p.key));
  const active = truckFactor(snap.fileAuthors, gone);
  const directories = directoryOwnership({
    fileAuthors: snap.fileAuthors,
    reviewers: input.reviewers,
    isActive: (k) => !departed(k),
    isDeparted: departed,
  });
  return {
    files: snap.fileAuthors.size,
    authors: people.length,
    truckFactor: plain.truckFactor,
    truckFactorAuthors: withPeople(plain.removed),
    truckFactorWithoutDeparted: active.truckFactor,
    truckFactorWithoutDepartedAuthors: withPeople(active.removed),
    people,
    directories,
    orphanedFiles: orphanedFiles(snap.fileAuthors, departed),
    fileAuthors: snap.fileAuthors,
    details: snap.details,
  };
}
