// Where the knowledge stage keeps what identities need between its steps, in sync_state rows of
// their own (scope, progress): the `.mailmap` the history update saw at the head (the compute
// step reads no git), and the merged identities of the last compute, for the knowledge page.
// Both are replaced whole by the step that writes them.
import type { Db } from '../../server/db/connect.ts';
import type { MergedIdentity } from './identity.ts';

const mailmapScope = (repoId: number) => `knowledge-mailmap:${repoId}`;
const identitiesScope = (repoId: number) => `knowledge-identities:${repoId}`;

async function put(db: Db, scope: string, bookmark: string | null, progress: string): Promise<void> {
  const row = { status: 'done' as const, bookmark, progress, last_error: null, updated_at: new Date().toISOString() };
  await db.insertInto('sync_state').values({ scope, ...row }).onConflict((oc) => oc.column('scope').doUpdateSet(row)).execute();
}

async function get(db: Db, scope: string): Promise<string | null> {
  return (await db.selectFrom('sync_state').select('progress').where('scope', '=', scope).executeTakeFirst())?.progress ?? null;
}

/** The root `.mailmap` at `sha` (null: none there). */
export async function saveMailmap(db: Db, repoId: number, sha: string, text: string | null): Promise<void> {
  await put(db, mailmapScope(repoId), sha, JSON.stringify({ text }));
}

export async function loadMailmap(db: Db, repoId: number): Promise<string | null> {
  const stored = await get(db, mailmapScope(repoId));
  return stored ? ((JSON.parse(stored) as { text: string | null }).text ?? null) : null;
}

export async function saveMergedIdentities(db: Db, repoId: number, sha: string, merged: MergedIdentity[]): Promise<void> {
  await put(db, identitiesScope(repoId), sha, JSON.stringify(merged));
}

/** The merged identities of the last compute; [] before the first. */
export async function loadMergedIdentities(db: Db, repoId: number): Promise<MergedIdentity[]> {
  const stored = await get(db, identitiesScope(repoId));
  return stored ? (JSON.parse(stored) as MergedIdentity[]) : [];
}
