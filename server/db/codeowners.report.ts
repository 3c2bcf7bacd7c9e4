// The JSON in knowledge_codeowners_drift.report (migrations/0010_codeowners.ts): written by
// jobs/git/ownership-drift.ts, answered as it is by server/routes/codeowners.routes.ts.

/** A CODEOWNERS line GitHub would skip, with what is wrong with it. */
export interface CodeownersProblem {
  line: number;
  text: string;
  problem: string;
}

export interface Knower {
  name: string;
  login: string | null;
  /** Files of the area this person authors (DOA). */
  files: number;
  reviewed: boolean;
  declared: boolean;
  departed: boolean;
}

export interface RuleDrift {
  line: number;
  pattern: string;
  owners: string[];
  /** Code files this rule is the last match for. */
  files: number;
  /** The people the owners stand for (teams expanded), by login or name. */
  declared: string[];
  /** Declared people who neither changed nor reviewed any file of the area. */
  untouchedOwners: string[];
  /** The area has owners and files, and not one declared owner touched it. */
  ownersNeverTouched: boolean;
  knowers: Knower[];
  undeclaredKnowers: string[];
  /** The author of the most files here, or null when nobody authors any. */
  mainAuthor: string | null;
  mainAuthorDeclared: boolean | null;
}

export interface UnknownOwner {
  owner: string;
  lines: number[];
  why: string;
}

export interface DriftReport {
  /** The CODEOWNERS file in force, or null when the revision has none. */
  path: string | null;
  problems: CodeownersProblem[];
  unknownOwners: UnknownOwner[];
  rules: RuleDrift[];
  /** Code files no rule covers, or whose last matching rule names no owner. */
  uncoveredFiles: string[];
}
