// The generator's working view of a person: the public SimPerson plus what the generator needs
// to plan activity (active interval, role, commit identities). Never served.
import type { SimPerson } from '../model.ts';

export type Role =
  | 'senior'
  | 'departedOwner'
  | 'departedOther'
  | 'recentLeaver'
  | 'mid'
  | 'junior'
  | 'mentoredNewcomer'
  | 'unmentoredNewcomer'
  | 'ghost'
  | 'bot';

export interface CommitIdentity {
  name: string;
  email: string;
  login: string | null;
}

export interface Actor {
  person: SimPerson;
  login: string;
  role: Role;
  /** First activity: the instant of this person's first authored PR. */
  first: number;
  /** Last instant this person may act (left, deleted, or `now`). */
  last: number;
  /** Relative activity level for background PRs and reviews. */
  weight: number;
  /** Indexes into the org's repos where this person usually works. */
  homeRepos: number[];
  /** Commit identities; more than one for the few people with planted alias variants. */
  idents: CommitIdentity[];
  /** Whether background work of this person may create files (DOA authorship). */
  mayAddFiles: boolean;
  isBot: boolean;
  /** For unmentored newcomers: how they are (not) reviewed. */
  newcomerKind?: 'peers' | 'approvals' | 'unreviewed';
}
