import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import { asSyncWriter } from '../../server/db/dialect.ts';

// One person per GitHub account. Deleted accounts (REST's "ghost" user, GraphQL's null author)
// all map to the single `ghost` person; bots are kept but flagged (DESIGN.md "Data model").

export const GHOST_LOGIN = 'ghost';
/** GitHub's id of the ghost user (https://api.github.com/users/ghost). */
const GHOST_GITHUB_ID = 10137;
export const DEFAULT_BOT_LOGINS = ['dependabot[bot]', 'renovate[bot]', 'github-actions[bot]'];

/** An account as either API shows it: REST `simple-user` or a GraphQL Actor. */
export interface ActorLike {
  login: string;
  id?: number | null;
  databaseId?: number | null;
  type?: string;
  __typename?: string;
  name?: string | null;
}

export interface PersonInput {
  login: string;
  githubId: number | null;
  name: string | null;
  isBot: boolean;
  isGhost: boolean;
}

/** Pure: the person an actor stands for. GraphQL drops the `[bot]` suffix REST shows; we keep REST's form. */
export function personOf(actor: ActorLike | null | undefined, botLogins: readonly string[] = DEFAULT_BOT_LOGINS): PersonInput {
  if (!actor || actor.login === GHOST_LOGIN || actor.id === GHOST_GITHUB_ID) return { login: GHOST_LOGIN, githubId: null, name: null, isBot: false, isGhost: true };
  const typeIsBot = actor.type === 'Bot' || actor.__typename === 'Bot';
  const login = typeIsBot && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login;
  const isBot = typeIsBot || login.endsWith('[bot]') || botLogins.some((b) => b.toLowerCase() === login.toLowerCase());
  const githubId = actor.databaseId ?? actor.id ?? null;
  return { login, githubId: typeof githubId === 'number' ? githubId : null, name: actor.name ?? null, isBot, isGhost: false };
}

/** Upserts people by login and hands back their ids; remembers them for the run to spare queries. */
export function createPeopleWriter(db: Db) {
  const ids = new Map<string, { id: number; name: string | null; githubId: number | null; isBot: boolean }>();
  return async function personId(p: PersonInput, rawId: number | null): Promise<number> {
    const known = ids.get(p.login);
    if (known && (p.name === null || p.name === known.name) && (p.githubId === null || known.githubId !== null) && (!p.isBot || known.isBot)) return known.id;
    let row = await db.selectFrom('people').select(['id', 'github_id', 'name', 'is_bot']).where('login', '=', p.login).executeTakeFirst();
    if (!row && p.githubId !== null) {
      // Same account under a new login (a rename): keep one person.
      row = await db.selectFrom('people').select(['id', 'github_id', 'name', 'is_bot']).where('github_id', '=', p.githubId).executeTakeFirst();
      if (row) await db.updateTable('people').set({ login: p.login }).where('id', '=', row.id).execute();
    }
    if (!row) {
      const ins = await db
        .insertInto('people')
        .values({ login: p.login, github_id: p.githubId, name: p.name, is_bot: p.isBot ? 1 : 0, is_ghost: p.isGhost ? 1 : 0, raw_id: rawId })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (ins) {
        ids.set(p.login, { id: ins.id, name: p.name, githubId: p.githubId, isBot: p.isBot });
        return ins.id;
      }
      // Another connection stored the person between the look-up and the insert (PostgreSQL runs
      // repositories' syncs side by side; SQLite has one writer): that row is the person.
      row =
        (await db.selectFrom('people').select(['id', 'github_id', 'name', 'is_bot']).where('login', '=', p.login).executeTakeFirst()) ??
        (p.githubId === null ? undefined : await db.selectFrom('people').select(['id', 'github_id', 'name', 'is_bot']).where('github_id', '=', p.githubId).executeTakeFirst());
      if (!row) throw new Error(`person ${p.login} could not be stored`);
    }
    const patch: { github_id?: number; name?: string; is_bot?: number } = {};
    if (row.github_id === null && p.githubId !== null) patch.github_id = p.githubId;
    if (p.name !== null && p.name !== row.name) patch.name = p.name;
    if (p.isBot && !row.is_bot) patch.is_bot = 1;
    if (Object.keys(patch).length > 0) await db.updateTable('people').set(patch).where('id', '=', row.id).execute();
    ids.set(p.login, { id: row.id, name: p.name ?? row.name, githubId: row.github_id ?? p.githubId, isBot: p.isBot || row.is_bot === 1 });
    return row.id;
  };
}

export type PeopleWriter = ReturnType<typeof createPeopleWriter>;

/**
 * first_seen_at / last_seen_at from authored PRs, reviews and comments (for tenure and departure).
 * With `repoId`, only that repository's rows widen the stored spans: a repo's sync then costs
 * what the repo holds, not a pass over the whole history.
 */
export async function refreshPeopleSeen(db: Db, o: { repoId?: number } = {}): Promise<void> {
  // A literal TRUE/FALSE: both engines read it as a condition (a bound 1 is no boolean to PostgreSQL).
  const widen = sql.raw(o.repoId !== undefined ? 'TRUE' : 'FALSE');
  const prs = o.repoId !== undefined ? sql`SELECT id FROM pull_requests WHERE repo_id = ${o.repoId}` : sql`SELECT id FROM pull_requests`;
  await asSyncWriter(db, (d) => sql`WITH prs(id) AS (${prs}),
    acts(person_id, at) AS (
      SELECT author_id, created_at FROM pull_requests WHERE id IN (SELECT id FROM prs)
      UNION ALL SELECT reviewer_id, submitted_at FROM reviews WHERE pull_request_id IN (SELECT id FROM prs)
      UNION ALL SELECT author_id, created_at FROM review_comments WHERE pull_request_id IN (SELECT id FROM prs)
      UNION ALL SELECT author_id, created_at FROM issue_comments WHERE pull_request_id IN (SELECT id FROM prs)),
    span AS (SELECT person_id, min(at) AS first, max(at) AS last FROM acts GROUP BY person_id)
    UPDATE people SET
      first_seen_at = CASE WHEN ${widen} AND first_seen_at IS NOT NULL AND first_seen_at < span.first THEN first_seen_at ELSE span.first END,
      last_seen_at = CASE WHEN ${widen} AND last_seen_at IS NOT NULL AND last_seen_at > span.last THEN last_seen_at ELSE span.last END
    FROM span WHERE span.person_id = people.id`.execute(d));
}
