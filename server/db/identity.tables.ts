// Tables of migration 0011: what the knowledge stage keeps of identities between its steps.

export interface KnowledgeMailmapsTable {
  repo_id: number;
  /** The head the `.mailmap` was read at. */
  sha: string;
  /** Its text; null when that revision has none. */
  mailmap: string | null;
}

/** How commit identities were taken for one person, strongest rule first. */
export type MergeRule = 'settings' | 'mailmap' | 'github' | 'email' | 'name' | 'login' | 'email-base';

/** One merge: `a` joined `b`'s identity by `rule`, on the evidence `via`. */
export interface IdentityLink {
  a: string;
  b: string;
  rule: MergeRule;
  via: string;
}

/** An identity made of several commit identities, with the merges that made it. */
export interface MergedIdentity {
  key: string;
  name: string;
  members: { name: string; email: string; commits: number }[];
  links: IdentityLink[];
}

export interface KnowledgeIdentitiesTable {
  repo_id: number;
  sha: string;
  /** JSON: MergedIdentity[] of the last compute. */
  merged: string;
}

export interface IdentityTables {
  knowledge_mailmaps: KnowledgeMailmapsTable;
  knowledge_identities: KnowledgeIdentitiesTable;
}
