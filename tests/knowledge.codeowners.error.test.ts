import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createTestApp, createTestDb, tempDir } from './harness.ts';
import { guidepost } from './cli.fixture.ts';
import { computeRepoKnowledge, updateRepoHistory } from '../jobs/git/knowledge.job.ts';
import { buildRepo } from './knowledge.fixture.ts';
import { parseCodeowners } from '../jobs/git/codeowners.ts';
import { analyseLocalRepository } from '../jobs/git/knowledge.local.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('a malformed CODEOWNERS', () => {
  it('reports each line GitHub would skip with its number and what is wrong, and keeps the rest', () => {
    const co = parseCodeowners(['# owners', '!/secret/ @jane', '/src/[ab]/ @jane', '/lib/ jane', '/ok/ @jane @acme/core j@x.io', '/x/ @-bad @also/ok', '', '   # indented comment'].join('\n'), 'CODEOWNERS');
    expect(co.rules.map((r) => [r.line, r.pattern])).toEqual([[5, '/ok/']]);
    expect(co.problems).toEqual([
      { line: 2, text: '!/secret/ @jane', problem: '"!/secret/": negation with "!" is not supported in CODEOWNERS' },
      { line: 3, text: '/src/[ab]/ @jane', problem: '"/src/[ab]/": character ranges with "[ ]" are not supported in CODEOWNERS' },
      { line: 4, text: '/lib/ jane', problem: '"jane" is not an owner: write @user, @org/team or an e-mail address' },
      { line: 6, text: '/x/ @-bad @also/ok', problem: '"@-bad" is not an owner: write @user, @org/team or an e-mail address' },
    ]);
  });

  it('survives binary junk and lists owners nobody stands behind as unknown', async () => {
    const repo = join(tmp.dir, 'repo');
    buildRepo(repo, [
      {
        author: 'Ana <ana@example.com>',
        date: '2024-01-01T00:00:00.000Z',
        add: ['src/a.ts', 'docs/CODEOWNERS'],
        content: { 'docs/CODEOWNERS': '\u0000\u0001\uFFFD junk\n/src/ @ghost-user stranger@nowhere.io @acme/core ana@example.com\n' },
      },
    ]);
    const k = await analyseLocalRepository(repo);
    const d = k.codeowners;
    expect(d.path).toBe('docs/CODEOWNERS');
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]!.line).toBe(1);
    expect(d.unknownOwners).toEqual([
      { owner: '@acme/core', lines: [2], why: 'teams are unknown without a synced organisation' },
      { owner: '@ghost-user', lines: [2], why: 'no person with this login is known here' },
      { owner: 'stranger@nowhere.io', lines: [2], why: 'no commit or person has this e-mail' },
    ]);
    expect(d.rules[0]).toMatchObject({ pattern: '/src/', declared: ['Ana'], untouchedOwners: [], mainAuthorDeclared: true });
  });
});

describe('a hostile CODEOWNERS in the terminal', { timeout: 60_000 }, () => {
  it('prints its patterns and owners escaped: no escape sequence reaches the terminal', async () => {
    const repo = join(tmp.dir, 'hostile');
    buildRepo(repo, [
      { author: 'Ana <ana@example.com>', date: '2024-01-01T00:00:00.000Z', add: ['src/a.ts', 'CODEOWNERS'], content: { CODEOWNERS: '/src\u001b[2J/ @nobody-here\n/x/ \u001b]0;pwned\u0007\n' } },
    ]);
    const r = await guidepost(['knowledge', repo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CODEOWNERS (CODEOWNERS)');
    expect(r.stdout).toContain('line 2 skipped');
    expect(r.stdout).not.toMatch(/[\u001b\u0007]/);
  });
});

describe('GET /api/knowledge/:owner/:repo/codeowners', { timeout: 60_000 }, () => {
  it('answers 404 for an unknown or unanalysed repo and 400 for a bad name, in the error shape', async () => {
    const t = await createTestDb();
    try {
      await t.db.insertInto('repos').values({ id: 1, owner: 'acme', name: 'fresh', full_name: 'acme/fresh', default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
      const app = createTestApp(t);
      const get = async (path: string) => {
        const res = await app.request(path);
        return { status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error };
      };
      expect(await get('/api/knowledge/acme/nope/codeowners')).toMatchObject({ status: 404, code: 'not_found', message: 'No repository "acme/nope" has been synced.' });
      expect((await get('/api/knowledge/acme/fresh/codeowners')).message).toContain('has not been analysed yet');
      expect(await get('/api/knowledge/acme/b%20d/codeowners')).toMatchObject({ status: 400, code: 'bad_request' });
    } finally {
      await t.close();
    }
  });

  it('with no CODEOWNERS, says so and lists every code file as uncovered; a team the synced org lacks is unknown', async () => {
    const t = await createTestDb();
    try {
      const none = join(t.dir, 'none');
      const teamed = join(t.dir, 'teamed');
      buildRepo(none, [{ author: 'Ana <ana@example.com>', date: '2024-01-01T00:00:00.000Z', add: ['src/a.ts', 'src/b.ts'] }]);
      buildRepo(teamed, [{ author: 'Ana <ana@example.com>', date: '2024-01-01T00:00:00.000Z', add: ['src/a.ts', 'CODEOWNERS'], content: { CODEOWNERS: '/src/ @acme/core @acme/ghosts @other/core\n' } }]);
      for (const [id, name] of [[1, 'none'], [2, 'teamed']] as const) {
        await t.db.insertInto('repos').values({ id, owner: 'acme', name, full_name: `acme/${name}`, default_branch: 'main', node_id: null, clone_url: null, created_at: null, pushed_at: null, raw_id: null }).execute();
      }
      await t.db.insertInto('people').values({ id: 5, login: 'bo', name: 'Bo', github_id: 5, raw_id: null, first_seen_at: null, last_seen_at: null }).execute();
      await t.db.insertInto('teams').values({ id: 9, org: 'acme', slug: 'core', name: 'Core', source: 'github', github_id: 9, raw_id: null }).execute();
      await t.db.insertInto('team_members').values({ team_id: 9, person_id: 5, raw_id: null }).execute();
      for (const [id, dir] of [[1, none], [2, teamed]] as const) {
        await updateRepoHistory(t.db, { repoId: id, cloneUrl: dir, dataDir: t.dir });
        await computeRepoKnowledge(t.db, { repoId: id, now: '2024-02-01T00:00:00.000Z' });
      }
      const app = createTestApp(t);
      const a = (await (await app.request('/api/knowledge/acme/none/codeowners')).json()) as { path: string | null; uncoveredFiles: string[]; rules: unknown[] };
      expect(a).toMatchObject({ path: null, uncoveredFiles: ['src/a.ts', 'src/b.ts'], rules: [] });
      const b = (await (await app.request('/api/knowledge/acme/teamed/codeowners')).json()) as { rules: { declared: string[]; untouchedOwners: string[]; ownersNeverTouched: boolean; undeclaredKnowers: string[] }[]; unknownOwners: { owner: string; why: string }[] };
      // The team expands to its member Bo, who never touched src/; Ana, its author, is not declared.
      expect(b.rules[0]).toMatchObject({ declared: ['bo'], untouchedOwners: ['bo'], ownersNeverTouched: true, undeclaredKnowers: ['Ana'] });
      expect(b.unknownOwners).toEqual([
        { owner: '@acme/ghosts', lines: [1], why: 'no synced team has this name' },
        { owner: '@other/core', lines: [1], why: 'no synced team has this name' },
      ]);
    } finally {
      await t.close();
    }
  });
});
