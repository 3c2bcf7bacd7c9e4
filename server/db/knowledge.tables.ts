// Tables added by the knowledge stage (migrations/0003_knowledge.ts). Merged into Database in
// database.ts. Written by jobs/git; read by server/routes/knowledge.routes.ts.

export interface KnowledgeHeadsTable {
  repo_id: number;
  sha: string;
  committed_at: string;
  /** JSON [{ dir, text }]: the .gitattributes files at sha. */
  gitattributes: string;
  updated_at: string;
}

export interface KnowledgeHeadFilesTable {
  repo_id: number;
  path: string;
}

export interface KnowledgeReposTable {
  repo_id: number;
  sha: string;
  as_of: string;
  computed_at: string;
  commits: number;
  files: number;
  excluded_files: number;
  authors: number;
  truck_factor: number;
  truck_factor_without_departed: number;
  islands: number;
  orphaned_files: number;
  orphaned_directories: number;
}

export interface KnowledgeAuthorsTable {
  repo_id: number;
  /** `person:<people.id>` or `git:<email>`. */
  author_key: string;
  person_id: number | null;
  name: string;
  email: string;
  files: number;
  last_activity_at: string | null;
  is_departed: number;
  tf_rank: number | null;
  tf_rank_without_departed: number | null;
}

export interface KnowledgeFileAuthorsTable {
  repo_id: number;
  path: string;
  author_key: string;
  doa: number;
  created: number;
}

export interface KnowledgeDirectoriesTable {
  repo_id: number;
  directory: string;
  files: number;
  /** JSON [{ author, files, share }]. */
  authors: string;
  /** JSON [author key]. */
  reviewers: string;
  fragmentation: number;
  sole_owner: string | null;
  is_island: number;
  is_orphaned: number;
}

export interface KnowledgeTrendTable {
  repo_id: number;
  month: string;
  files: number;
  authors: number;
  truck_factor: number;
  truck_factor_without_departed: number;
  islands: number;
}

/** The CODEOWNERS file in force at the head (migrations/0010_codeowners.ts). */
export interface KnowledgeCodeownersTable {
  repo_id: number;
  sha: string;
  /** `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`; null when the head has none. */
  path: string | null;
  text: string | null;
  updated_at: string;
}

export interface KnowledgeCodeownersDriftTable {
  repo_id: number;
  sha: string;
  as_of: string;
  /** JSON DriftReport (jobs/git/ownership-drift.ts). */
  report: string;
}

export interface KnowledgeTables {
  knowledge_heads: KnowledgeHeadsTable;
  knowledge_head_files: KnowledgeHeadFilesTable;
  knowledge_repos: KnowledgeReposTable;
  knowledge_authors: KnowledgeAuthorsTable;
  knowledge_file_authors: KnowledgeFileAuthorsTable;
  knowledge_directories: KnowledgeDirectoriesTable;
  knowledge_trend: KnowledgeTrendTable;
  knowledge_codeowners: KnowledgeCodeownersTable;
  knowledge_codeowners_drift: KnowledgeCodeownersDriftTable;
}
