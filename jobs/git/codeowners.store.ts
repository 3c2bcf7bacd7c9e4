// Declared ownership in the database. The history update keeps the CODEOWNERS file of the head
// (it holds the clone; the compute step reads no git), and the compute step replaces the drift
// report: CODEOWNERS against DOA authors, reviewers of the window, org people and teams.
import type { Db } from '../../server/db/connect.ts';
import type { HistoryState } from './doa.ts';
import type { Identity, MergedIdentity } from './identity.ts';
import type { KnowledgeResult } from './knowledge.compute.ts';
import { readCodeowners, type CodeownersFile } from './codeowners.read.ts';
import { parseCodeowners } from './codeowners.ts';
import { identityPeople, ownershipDrift, touchersFrom, type DriftPerson, type DriftReport } from './ownership-drift.ts';

/** Reads the head's CODEOWNERS blob once per head (a partial clone fetches only that blob). */
export async function saveHeadCodeowners(db: Db, repoId: number, gitDir: string, env?: Record<string, string>): Promise<void> {
  const head = await db.selectFrom('knowledge_heads').select('sha').where('repo_id', '=', repoId).executeTakeFirst();
  if (!head) return;
  const stored = await db.selectFrom('knowledge_codeowners').select('sha').where('repo_id', '=', repoId).executeTakeFirst();
  if (stored?.sha === head.sha) return;
  const file = await readCodeowners(gitDir, head.sha, { env });
  const row = { sha: head.sha, path: file?.path ?? null, text: file?.text ?? null, updated_at: new Date().toISOString() };
  await db.insertInto('knowledge_codeowners').values({ repo_id: repoId, ...row }).onConflict((oc) => oc.column('repo_id').doUpdateSet(row)).execute();
}

export async function loadHeadCodeowners(db: Db, repoId: number): Promise<CodeownersFile | null> {
  const r = await db.selectFrom('knowledge_codeowners').select(['path', 'text']).where('repo_id', '=', repoId).executeTakeFirst();
  return r?.path && r.text !== null ? { path: r.path, text: r.text } : null;
}

export interface DriftComputeInput {
  repoId: number;
  sha: string;
  asOf: string;
  /** Code files at the head. */
  files: readonly string[];
  result: KnowledgeResult;
  state: HistoryState;
  identities: readonly Identity[];
  merges: readonly MergedIdentity[];
  reviewers: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Computes and replaces the repo's drift report; returns it. */
export async function writeOwnershipDrift(db: Db, w: DriftComputeInput): Promise<DriftReport> {
  const file = await loadHeadCodeowners(db, w.repoId);
  const departed = new Map(w.result.people.map((p) => [p.key, p.departed]));
  const report = ownershipDrift({
    codeowners: file && parseCodeowners(file.text, file.path),
    files: w.files,
    fileAuthors: w.result.fileAuthors,
    touchers: touchersFrom(w.state, w.identities),
    reviewers: w.reviewers,
    people: await ownerPeople(db, w.identities, w.merges, (key) => departed.get(key) ?? false),
    teams: await orgTeams(db, w.repoId),
  });
  const row = { sha: w.sha, as_of: w.asOf, report: JSON.stringify(report) };
  await db.insertInto('knowledge_codeowners_drift').values({ repo_id: w.repoId, ...row }).onConflict((oc) => oc.column('repo_id').doUpdateSet(row)).execute();
  return report;
}

/** Org people by login (with their known e-mails), then commit identities no person holds. */
async function ownerPeople(db: Db, identities: readonly Identity[], merges: readonly MergedIdentity[], departed: (key: string) => boolean): Promise<DriftPerson[]> {
  const people = await db.selectFrom('people').select(['id', 'login', 'name']).where('is_bot', '=', 0).where('is_ghost', '=', 0).execute();
  const aliases = await db.selectFrom('person_aliases').select(['person_id', 'value']).where('kind', '=', 'email').execute();
  const emails = new Map<number, string[]>();
  for (const a of aliases) emails.set(a.person_id, [...(emails.get(a.person_id) ?? []), a.value]);
  const fromGit = new Map(identityPeople(identities, merges, departed).map((p) => [p.key, p]));
  const out: DriftPerson[] = people.map((p) => {
    const key = `person:${p.id}`;
    const git = fromGit.get(key);
    fromGit.delete(key);
    return { key, name: p.name ?? p.login, login: p.login, emails: [...(emails.get(p.id) ?? []), ...(git?.emails ?? [])], departed: departed(key) };
  });
  return [...out, ...fromGit.values()];
}

/** `org/slug` → member logins of the repo's org; null when none of its teams is synced. */
async function orgTeams(db: Db, repoId: number): Promise<Map<string, string[]> | null> {
  const repo = await db.selectFrom('repos').select('owner').where('id', '=', repoId).executeTakeFirst();
  if (!repo) return null;
  const teams = await db.selectFrom('teams').select(['id', 'slug']).where('org', '=', repo.owner).execute();
  if (teams.length === 0) return null;
  const members = await db
    .selectFrom('team_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.team_id', 'p.login'])
    .where('m.team_id', 'in', teams.map((t) => t.id))
    .execute();
  const out = new Map(teams.map((t) => [`${repo.owner}/${t.slug}`.toLowerCase(), [] as string[]]));
  const slugOf = new Map(teams.map((t) => [t.id, `${repo.owner}/${t.slug}`.toLowerCase()]));
  for (const m of members) out.get(slugOf.get(m.team_id)!)!.push(m.login);
  return out;
}
