import type { Kysely } from 'kysely';

// Frozen in time: this file must not import anything of ours.
// The repositories a newcomer works in (their PRs per repository, for mentor suggestions) read
// from this index alone, where they took a scan of every PR fact on each mentoring page.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('signal_pr_facts_author_repo').on('signal_pr_facts').columns(['author_id', 'repo_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signal_pr_facts_author_repo').execute();
}
