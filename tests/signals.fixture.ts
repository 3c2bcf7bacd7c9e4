import { deriveAll } from '../jobs/derive/signals.derive.ts';
import type { App } from '../server/app.ts';
import type { Db } from '../server/db/connect.ts';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';

// Hand-made domain rows for formula tests: a tiny org written straight into the domain tables
// the sync fills, so the derive stage reads them exactly as it reads synced data.

const DAY = 86_400_000;
/** Fixed instant the hand-made histories are measured against. */
export const NOW = '2026-06-01T00:00:00Z';
export const at = (daysBeforeNow: number, hours = 0) => new Date(Date.parse(NOW) - daysBeforeNow * DAY + hours * 3_600_000).toISOString().replace('.000Z', 'Z');

export class OrgBuilder {
  private ids = { pr: 1000, review: 5000, comment: 9000 };
  private prNumber = 0;
  readonly people = new Map<string, number>();
  constructor(private readonly db: Db) {}

  async repo(name: string, id = 1): Promise<number> {
    await this.db.insertInto('repos').values({ id, owner: 'acme', name, full_name: `acme/${name}`, default_branch: 'main' }).execute();
    return id;
  }

  async person(login: string, opts: { bot?: boolean; ghost?: boolean } = {}): Promise<number> {
    const r = await this.db
      .insertInto('people')
      .values({ login, is_bot: opts.bot ? 1 : 0, is_ghost: opts.ghost ? 1 : 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.people.set(login, r.id);
    return r.id;
  }

  id(login: string): number {
    const id = this.people.get(login);
    if (id === undefined) throw new Error(`no person ${login}`);
    return id;
  }

  async team(slug: string, members: string[]): Promise<void> {
    const t = await this.db.insertInto('teams').values({ slug, name: slug, source: 'github' }).returning('id').executeTakeFirstOrThrow();
    for (const m of members) await this.db.insertInto('team_members').values({ team_id: t.id, person_id: this.id(m) }).execute();
  }

  async pr(p: {
    author: string;
    created: string;
    repo?: number;
    ready?: string;
    merged?: string;
    closed?: string;
    size?: number;
    updated?: string;
  }): Promise<number> {
    const id = ++this.ids.pr;
    await this.db
      .insertInto('pull_requests')
      .values({
        id,
        repo_id: p.repo ?? 1,
        number: ++this.prNumber,
        title: `PR ${id}`,
        author_id: this.id(p.author),
        state: p.merged ? 'merged' : p.closed ? 'closed' : 'open',
        created_at: p.created,
        updated_at: p.updated ?? p.merged ?? p.closed ?? p.created,
        ready_at: p.ready ?? null,
        merged_at: p.merged ?? null,
        closed_at: p.closed ?? p.merged ?? null,
        additions: p.size ?? 10,
        deletions: 0,
      })
      .execute();
    return id;
  }

  async review(prId: number, reviewer: string, state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED', submitted: string, opts: { body?: number; inline?: number } = {}): Promise<number> {
    const id = ++this.ids.review;
    await this.db
      .insertInto('reviews')
      .values({ id, pull_request_id: prId, reviewer_id: this.id(reviewer), state, submitted_at: submitted, body_length: opts.body ?? 0, comment_count: opts.inline ?? 0 })
      .execute();
    for (let i = 0; i < (opts.inline ?? 0); i++) {
      await this.db
        .insertInto('review_comments')
        .values({ id: ++this.ids.comment, pull_request_id: prId, review_id: id, author_id: this.id(reviewer), path: 'src/a.ts', body_length: 20, created_at: submitted })
        .execute();
    }
    return id;
  }

  async request(prId: number, reviewer: string, requested: string): Promise<void> {
    await this.db.insertInto('review_requests').values({ pull_request_id: prId, reviewer_id: this.id(reviewer), requested_at: requested }).execute();
  }

  async comment(prId: number, author: string, created: string): Promise<void> {
    await this.db.insertInto('issue_comments').values({ id: ++this.ids.comment, pull_request_id: prId, author_id: this.id(author), body_length: 10, created_at: created }).execute();
  }
}

/** A fresh test database holding repo acme/api (id 1), with the builder a test fills it through. */
export async function createTestOrg(): Promise<{ t: TestDb; org: OrgBuilder }> {
  const t = await createTestDb();
  const org = new OrgBuilder(t.db);
  await org.repo('api');
  return { t, org };
}

/** The whole app over alice's one PR approved by bob (members of `teams`), derived at NOW: just enough for every route to answer. */
export async function createOneReviewApp(teams: Record<string, string[]> = {}): Promise<{ t: TestDb; app: App }> {
  const { t, org } = await createTestOrg();
  await org.person('alice');
  await org.person('bob');
  for (const [slug, members] of Object.entries(teams)) await org.team(slug, members);
  await org.review(await org.pr({ author: 'alice', created: at(3) }), 'bob', 'APPROVED', at(2));
  await deriveAll(t.db, { now: NOW });
  return { t, app: createTestApp(t) };
}
