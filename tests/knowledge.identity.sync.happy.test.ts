import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { buildRepo } from './knowledge.fixture.ts';
import { computeRepoKnowledge, updateRepoHistory } from '../jobs/git/knowledge.job.ts';
import { updateSettings } from '../server/settings.ts';

// The synced org's side of one person, one identity: GitHub logins and person_aliases, the
// alias settings (to join and to split), and the .mailmap the clone holds at its head; the
// knowledge page shows every merge with its rule.
const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
let t: TestDb;
let app: ReturnType<typeof createTestApp>;
const authors = [
  'kasia-w <kw@home.pl>', // a name equal to a synced person's login
  'Katarzyna <12+kasia-w@users.noreply.github.com>',
  'K. Wiśniewska <k.wisniewska@corp.pl>', // a person_aliases e-mail
  'Tom Hardy <tom@a.com>', // joined by identityAliases
  'T.H. <thardy@b.org>',
  'Chris Park <chris@a.com>', // the same name, split by identityDistinct
  'Chris Park <cpark@b.com>',
  'Rob Brown <rob@corp.com>', // joined by the .mailmap at the head
  'bobby <bobby@old.lan>',
  'Alex Kim <21+alex-a@users.noreply.github.com>', // two GitHub accounts of one name stay two people
  'Alex Kim <22+alex-b@users.noreply.github.com>',
  'Eve\x1fUnit\x1fSep <eve@x.io>', // a name holding the old field separator, stored whole
];

beforeAll(async () => {
  t = await createTestDb();
  const source = join(t.dir, 'origin');
  buildRepo(source, [
    ...authors.map((author, i) => ({ author, date: day(i), add: [`src/f${i}.ts`] })),
    { author: 'Rob Brown <rob@corp.com>', date: day(20), add: ['.mailmap'], content: { '.mailmap': 'Rob Brown <rob@corp.com> <bobby@old.lan>\n' } },
  ]);
  await t.db.insertInto('repos').values({ id: 1, owner: 'acme', name: 'engine', full_name: 'acme/engine', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
  await t.db.insertInto('people').values([
    { id: 10, login: 'kasia-w', name: null, github_id: 12, raw_id: null, first_seen_at: null, last_seen_at: null },
    { id: 21, login: 'alex-a', name: 'Alex Kim', github_id: 21, raw_id: null, first_seen_at: null, last_seen_at: null },
    { id: 22, login: 'alex-b', name: 'Alex Kim', github_id: 22, raw_id: null, first_seen_at: null, last_seen_at: null },
  ]).execute();
  await t.db.insertInto('person_aliases').values({ person_id: 10, kind: 'email', value: 'k.wisniewska@corp.pl', source: 'github' }).execute();
  await updateSettings(t.db, { identityAliases: [['Tom Hardy <tom@a.com>', 'thardy@b.org']], identityDistinct: [['chris@a.com', 'cpark@b.com']] });
  await updateRepoHistory(t.db, { repoId: 1, cloneUrl: source, dataDir: t.dir });
  await computeRepoKnowledge(t.db, { repoId: 1, now: day(30) });
  app = createTestApp(t);
});
afterAll(async () => t.close());

interface Merged {
  key: string;
  name: string;
  members: { name: string; email: string }[];
  links: { a: string; b: string; rule: string; via: string }[];
}

describe('GET /api/knowledge/:owner/:repo merged identities', () => {
  it('joins a GitHub person by login, no-reply address and alias, and shows each rule', async () => {
    const k = (await (await app.request('/api/knowledge/acme/engine')).json()) as { owners: { name: string; login: string | null; files: number }[]; mergedIdentities: Merged[] };
    const kasia = k.mergedIdentities.find((m) => m.key === 'person:10')!;
    expect(kasia.name).toBe('kasia-w');
    expect(kasia.members.map((m) => m.email).sort()).toEqual(['12+kasia-w@users.noreply.github.com', 'k.wisniewska@corp.pl', 'kw@home.pl']);
    expect(new Set(kasia.links.map((l) => l.rule))).toEqual(new Set(['github', 'login']));
    expect(k.owners.find((o) => o.login === 'kasia-w')!.files).toBe(3);
  });

  it('joins what identityAliases lists and what the .mailmap maps', async () => {
    const k = (await (await app.request('/api/knowledge/acme/engine')).json()) as { mergedIdentities: Merged[] };
    const of = (email: string) => k.mergedIdentities.find((m) => m.members.some((x) => x.email === email));
    expect(of('tom@a.com')!.members.map((m) => m.email).sort()).toEqual(['thardy@b.org', 'tom@a.com']);
    expect(of('tom@a.com')!.links.map((l) => l.rule)).toEqual(['settings', 'settings']);
    expect(of('bobby@old.lan')!.members.map((m) => m.email).sort()).toEqual(['bobby@old.lan', 'rob@corp.com']);
    expect(of('bobby@old.lan')!.links.map((l) => l.rule)).toContain('mailmap');
    expect(of('bobby@old.lan')!.name).toBe('Rob Brown');
  });

  it('keeps apart what identityDistinct lists, though the names are the same', async () => {
    const k = (await (await app.request('/api/knowledge/acme/engine')).json()) as { owners: { name: string }[]; mergedIdentities: Merged[] };
    expect(k.mergedIdentities.some((m) => m.members.some((x) => x.email === 'chris@a.com'))).toBe(false);
    expect(k.owners.filter((o) => o.name === 'Chris Park')).toHaveLength(2);
    // kasia (3), tom (2), rob (2), chris twice, alex-a, alex-b, eve: eight people.
    expect(k.owners).toHaveLength(8);
  });

  it('never makes one person of two GitHub accounts, and keeps a hostile name whole', async () => {
    const k = (await (await app.request('/api/knowledge/acme/engine')).json()) as { owners: { name: string; login: string | null; files: number }[]; mergedIdentities: Merged[] };
    expect(k.owners.filter((o) => o.login?.startsWith('alex-')).map((o) => [o.login, o.files]).sort()).toEqual([
      ['alex-a', 1],
      ['alex-b', 1],
    ]);
    expect(k.mergedIdentities.some((m) => m.key === 'person:21' || m.key === 'person:22')).toBe(false);
    expect(k.owners.find((o) => o.name === 'Eve\x1fUnit\x1fSep')!.files).toBe(1);
  });
});
