// The simulated GitHub organisation, as plain data. The generator (simulator/generate/) makes
// it, snapshots (docs/simulator.md) load and save it, and the REST, GraphQL and git servers
// only read it (plus the evolve step that adds new activity). Imports nothing of the product.

export type Scale = 'tiny' | 'small' | 'medium' | 'large';

export interface SimOrg {
  seed: number;
  scale: Scale | 'snapshot';
  /** The instant the simulated history ends; fixed per seed, not the wall clock. */
  now: string;
  org: { id: number; nodeId: string; login: string; name: string; createdAt: string };
  people: SimPerson[];
  teams: SimTeam[];
  repos: SimRepo[];
  /** Every pull request of every repo, ordered by repo then number. */
  pulls: SimPull[];
  truth: Truth;
}

export interface SimPerson {
  id: number;
  nodeId: string;
  login: string;
  /** Display name; may hold non-ASCII letters; null when the profile has none. */
  name: string | null;
  email: string;
  type: 'User' | 'Bot';
  /** First day in the org. */
  joinedAt: string;
  /** Last day in the org, or null while still active. */
  leftAt: string | null;
  /** True while listed in /orgs/{org}/members. */
  isMember: boolean;
  /** A deleted account: served as GitHub's "ghost" user (REST) or a null author (GraphQL). */
  deleted: boolean;
}

export interface SimTeam {
  id: number;
  nodeId: string;
  slug: string;
  name: string;
  description: string;
  /** Logins. */
  members: string[];
}

export interface SimRepo {
  id: number;
  nodeId: string;
  name: string;
  description: string;
  defaultBranch: string;
  createdAt: string;
  isPrivate: boolean;
  isArchived: boolean;
  /** Whole history of the default branch, oldest first; merged PRs' commits are among them. */
  commits: SimCommit[];
  /** A CODEOWNERS file written by the first commit (not among its changes), with planted drift. */
  codeowners?: SimCodeowners;
}

export interface SimCodeowners {
  /** `.github/CODEOWNERS`. */
  path: string;
  text: string;
}

export interface SimFileChange {
  path: string;
  kind: 'add' | 'modify' | 'delete' | 'rename';
  /** For renames: the old path. */
  from?: string;
  additions: number;
  deletions: number;
}

export interface SimCommit {
  /** Stable id within the repo; the git builder maps it to the real SHA. */
  id: string;
  /** PR whose merge brought this commit, if any. */
  prNumber: number | null;
  /** GitHub login the commit is attributed to; null when the e-mail maps to no account. */
  authorLogin: string | null;
  authorName: string;
  authorEmail: string;
  date: string;
  message: string;
  changes: SimFileChange[];
}

export type SimReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';

export interface SimReviewRequest {
  /** A person's login, or null when a team was requested. */
  reviewer: string | null;
  /** A team slug, or null when a person was requested. */
  team: string | null;
  requestedAt: string;
  /** Still waiting (GitHub lists only pending requests in requested_reviewers). */
  pending: boolean;
}

export interface SimReview {
  id: number;
  nodeId: string;
  author: string;
  state: SimReviewState;
  body: string;
  submittedAt: string;
}

export interface SimReviewComment {
  id: number;
  nodeId: string;
  /** The review this inline comment belongs to. */
  reviewId: number;
  author: string;
  body: string;
  path: string;
  line: number;
  createdAt: string;
  updatedAt: string;
  inReplyTo: number | null;
}

export interface SimIssueComment {
  id: number;
  nodeId: string;
  author: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimPull {
  id: number;
  nodeId: string;
  repo: string;
  number: number;
  title: string;
  body: string;
  /** Login of the author; the person may be deleted or a bot. */
  author: string;
  headRef: string;
  baseRef: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergedBy: string | null;
  /** Draft right now. */
  isDraft: boolean;
  /** When a PR opened as draft was marked ready (ReadyForReviewEvent), else null. */
  readyAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  /** Ids of this PR's commits in its repo's history (merged PRs) or of unmerged work. */
  commitIds: string[];
  /** The PR's changed files (its diff against the base); optional so older snapshots load. */
  files?: SimFileChange[];
  reviewRequests: SimReviewRequest[];
  reviews: SimReview[];
  reviewComments: SimReviewComment[];
  issueComments: SimIssueComment[];
}

/** What was planted on purpose, so tests can check Guidepost recovers it. Logins throughout. */
export interface Truth {
  org: string;
  now: string;
  seed: number;
  /** The settings under which the planted structure holds (DESIGN.md defaults). */
  settings: { newcomerDays: number; menteeLimit: number; rubberStampLines: number; mentorTenureGapDays: number };
  mentorPairs: { mentor: string; mentee: string }[];
  newcomers: string[];
  newcomersWithoutMentor: string[];
  overloadedMentors: string[];
  loadCarriers: string[];
  rubberStampers: string[];
  knowledgeIslands: { repo: string; directory: string; owner: string }[];
  departedOwners: { login: string; repos: string[] }[];
  bots: string[];
  ghost: string | null;
  /** Per repo with a CODEOWNERS file: each rule against who knows its files (docs/simulator.md). */
  codeowners?: CodeownersTruth[];
}

export interface CodeownersTruth {
  repo: string;
  path: string;
  rules: {
    line: number;
    pattern: string;
    /** Code files at HEAD whose last matching rule this is. */
    files: number;
    /** Not one declared owner changed a file of it or reviewed there in the last 180 days. */
    ownersNeverTouched: boolean;
    /** The login authoring most of its files; null on a tie or when that author has no account. */
    mainAuthor: string | null;
    mainAuthorDeclared: boolean | null;
  }[];
  /** Lines of the rules planted with drift: an owner who never touched the area, a main author left out. */
  neverTouched: number[];
  undeclaredMainAuthor: number[];
  uncoveredFiles: string[];
  malformedLines: number[];
  unknownOwners: string[];
}
