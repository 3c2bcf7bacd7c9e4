// What the knowledge stage keeps of identities between its steps (migration 0011): the
// `.mailmap` the history update saw at the head (the compute step reads no git), and the merged
// identities of the last compute, for the knowledge page. Each is replaced whole by the step
// that writes it; a repository's rows go with it.
import type { Db } from '../../server/db/connect.ts';
import type { MergedIdentity } from './identity.types.ts';

/** The root `.mailmap` at `sha` (null: none there). */
export async function saveMailmap(db: Db, repoId: number, sha: string, text: string | null): Promise<void> {
  const row = { sha, mailmap: text };
  await db.insertInto('knowledge_mailmaps').values({ repo_id: repoId, ...row }).onConflict((oc) => oc.column('repo_id').doUpdateSet(row)).execute();
}

export async function loadMailmap(db: Db, repoId: number): Promise<string | null> {
  return (await db.selectFrom('knowledge_mailmaps').select('mailmap').where('repo_id', '=', repoId).executeTakeFirst())?.mailmap ?? null;
}

export async function saveMergedIdentities(db: Db, repoId: number, sha: string, merged: MergedIdentity[]): Promise<void> {
  const row = { sha, merged: JSON.stringify(merged) };
  await db.insertInto('knowledge_identities').values({ repo_id: repoId, ...row }).onConflict((oc) => oc.column('repo_id').doUpdateSet(row)).execute();
}
