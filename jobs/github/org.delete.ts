import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import { orgJobKeyPatterns } from './sync.ts';
import { serializeTransactions, likeOp } from '../../server/db/dialect.ts';

// Deleting an organisation's data (the demo's, when a real org replaces it; or an org the lead
// no longer wants): its repositories and everything synced from them, its teams, its raw answers,
// its sync state and waiting jobs, the people no other org's data names, and its clones. Other
// orgs' rows are untouched. One transaction: a crash leaves all of it or none.

export interface DeletedOrg {
  repos: number;
  pullRequests: number;
  people: number;
}

export async function deleteOrgData(db: Db, org: string, dataDir: string): Promise<DeletedOrg> {
  const result = await db.transaction().execute(async (trx) => {
    await serializeTransactions(trx);
    const repoIds = (await trx.selectFrom('repos').select('id').where('owner', '=', org).execute()).map((r) => r.id);
    const ids = repoIds.length ? repoIds : [-1];
    const prs = await trx.deleteFrom('pull_requests').where('repo_id', 'in', ids).executeTakeFirst(); // reviews, requests and comments cascade
    await trx.deleteFrom('file_changes').where('repo_id', 'in', ids).execute();
    await trx.deleteFrom('commits').where('repo_id', 'in', ids).execute();
    await trx.deleteFrom('repos').where('id', 'in', ids).execute(); // knowledge tables cascade
    await trx.deleteFrom('teams').where('org', '=', org).execute(); // members cascade; review requests went with the PRs
    await trx
      .deleteFrom('raw_responses')
      .where((eb) => eb.or([eb('scope', '=', `org:${org}`), eb('scope', likeOp(trx), `repo:${org}/%`), eb('scope', likeOp(trx), `team:${org}/%`)]))
      .execute();
    await trx.deleteFrom('webhook_deliveries').where('org', '=', org).execute(); // their payloads went with the raw answers
    await trx
      .deleteFrom('sync_state')
      .where((eb) => eb.or([eb('scope', '=', `org:${org}`), eb('scope', likeOp(trx), `repo:${org}/%`), eb('scope', likeOp(trx), `git:${org}/%`)]))
      .execute();
    await trx
      .deleteFrom('jobs')
      .where((eb) => eb.or(orgJobKeyPatterns(org).map((k) => eb('key', likeOp(trx), k))))
      .execute();
    // People no remaining row names (their aliases cascade).
    const people = await sql`
      delete from people where
        not exists (select 1 from pull_requests where author_id = people.id or merged_by_id = people.id)
        and not exists (select 1 from reviews where reviewer_id = people.id)
        and not exists (select 1 from review_requests where reviewer_id = people.id)
        and not exists (select 1 from review_comments where author_id = people.id)
        and not exists (select 1 from issue_comments where author_id = people.id)
        and not exists (select 1 from commits where person_id = people.id)
        and not exists (select 1 from team_members where person_id = people.id)`.execute(trx);
    return { repos: repoIds.length, pullRequests: Number(prs.numDeletedRows), people: Number(people.numAffectedRows ?? 0) };
  });
  // Clones live under <dataDir>/repos/<owner>/ (jobs/git/clone.ts); gone after the rows, so a
  // crash in between leaves clones no row names, which the next clone of that name reuses.
  // An org login is letters, digits and hyphens: never a path of its own.
  if (/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(org)) await rm(join(dataDir, 'repos', org), { recursive: true, force: true });
  return result;
}
