import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from './harness.ts';
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
