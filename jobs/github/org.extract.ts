import type { Db } from '../../server/db/connect.ts';
import type { PeopleWriter } from './people.extract.ts';
import { personOf, type ActorLike } from './people.extract.ts';
import { isolated } from '../../server/db/dialect.ts';

// REST org payloads → repos, people (members), teams, team_members. Upserts by GitHub id, so
// extracting the same raw row twice changes nothing.

export interface RawRow {
  id: number;
  kind: string;
  scope: string;
  url: string;
  request: string | null;
  body: string;
  /** The body already parsed, when the collector has it at hand (saves parsing it twice). */
  parsed?: unknown;
}

/** The raw row's JSON body. */
export function parsedBody<T>(raw: RawRow): T {
  return (raw.parsed !== undefined ? raw.parsed : JSON.parse(raw.body)) as T;
}

export interface ExtractContext {
  people: PeopleWriter;
  botLogins: readonly string[];
  /** A row that cannot be extracted: logged with its raw id, the rest goes on. */
  onRowError(rawId: number, what: string, err: unknown): void;
}

interface RestRepo {
  id: number;
  node_id?: string;
  name: string;
  full_name: string;
  owner: { login: string };
  private?: boolean;
  archived?: boolean;
  default_branch?: string;
  clone_url?: string;
  created_at?: string;
  pushed_at?: string | null;
}

export async function extractReposPage(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  for (const r of asArray<RestRepo>(raw)) {
    try {
      if (typeof r.id !== 'number' || typeof r.full_name !== 'string') throw new Error('repo without id or full_name');
      const row = {
        node_id: r.node_id ?? null,
        owner: r.owner.login,
        name: r.name,
        full_name: r.full_name,
        is_private: r.private ? 1 : 0,
        is_archived: r.archived ? 1 : 0,
        default_branch: r.default_branch ?? null,
        clone_url: r.clone_url ?? null,
        created_at: r.created_at ?? null,
        pushed_at: r.pushed_at ?? null,
        raw_id: raw.id,
      };
      await isolated(db, () => db.insertInto('repos').values({ id: r.id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute());
    } catch (err) {
      ctx.onRowError(raw.id, 'repo', err);
    }
  }
}

export async function extractMembersPage(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  for (const u of asArray<ActorLike>(raw)) {
    try {
      await isolated(db, () => ctx.people(personOf(u, ctx.botLogins), raw.id));
    } catch (err) {
      ctx.onRowError(raw.id, 'member', err);
    }
  }
}

export async function extractTeamsPage(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const org = orgOfScope(raw.scope);
  for (const t of asArray<{ id: number; slug: string; name: string }>(raw)) {
    try {
      await isolated(db, () => upsertTeam(db, { org, githubId: t.id, slug: t.slug, name: t.name }, raw.id));
    } catch (err) {
      ctx.onRowError(raw.id, 'team', err);
    }
  }
}

/** The org a raw answer's scope names: `org:acme`, `repo:acme/api`, `team:acme/platform`. */
export function orgOfScope(scope: string): string {
  const rest = scope.slice(scope.indexOf(':') + 1);
  return rest.split('/')[0] ?? '';
}

/** A team of `org`, found by its slug (unique within its org only), created when new. */
export async function upsertTeam(db: Db, t: { org: string; githubId: number | null; slug: string; name: string }, rawId: number): Promise<number> {
  const existing = await db.selectFrom('teams').select(['id', 'github_id']).where('org', '=', t.org).where('slug', '=', t.slug).executeTakeFirst();
  if (existing) {
    await db.updateTable('teams').set({ name: t.name, github_id: t.githubId ?? existing.github_id, source: 'github', raw_id: rawId }).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const row = await db.insertInto('teams').values({ org: t.org, github_id: t.githubId, slug: t.slug, name: t.name, source: 'github', raw_id: rawId }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A page of /orgs/{org}/teams/{slug}/members; page 1 replaces the team's members. */
export async function extractTeamMembersPage(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const slug = raw.scope.slice(raw.scope.lastIndexOf('/') + 1);
  const team = await db.selectFrom('teams').select('id').where('org', '=', orgOfScope(raw.scope)).where('slug', '=', slug).executeTakeFirst();
  if (!team) {
    ctx.onRowError(raw.id, 'team members', new Error(`team ${slug} is not stored`));
    return;
  }
  const page = Number((JSON.parse(raw.request ?? '{}') as { params?: { page?: number } }).params?.page ?? 1);
  if (page === 1) await db.deleteFrom('team_members').where('team_id', '=', team.id).execute();
  for (const u of asArray<ActorLike>(raw)) {
    try {
      await isolated(db, async () => {
        const personId = await ctx.people(personOf(u, ctx.botLogins), raw.id);
        await db.insertInto('team_members').values({ team_id: team.id, person_id: personId, raw_id: raw.id }).onConflict((oc) => oc.columns(['team_id', 'person_id']).doNothing()).execute();
      });
    } catch (err) {
      ctx.onRowError(raw.id, 'team member', err);
    }
  }
}

function asArray<T>(raw: RawRow): T[] {
  const parsed = parsedBody<unknown>(raw);
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array');
  return parsed as T[];
}
