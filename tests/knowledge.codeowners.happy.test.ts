import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness.ts';
import { guidepost } from './cli.fixture.ts';
import { buildRepo } from './knowledge.fixture.ts';
import { compilePattern, parseCodeowners, ruleFor } from '../jobs/git/codeowners.ts';
import { readCodeowners } from '../jobs/git/codeowners.read.ts';
import { analyseLocalRepository } from '../jobs/git/knowledge.local.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();

describe('CODEOWNERS patterns follow GitHub', () => {
  const matches = (pattern: string, path: string) => compilePattern(pattern)(path);

  it('matches an extension anywhere, a folder anywhere, and an anchored folder with its subfolders', () => {
    expect(matches('*.js', 'a/b/c.js')).toBe(true);
    expect(matches('*.js', 'a/b/c.ts')).toBe(false);
    expect(matches('apps/', 'x/apps/y/z.ts')).toBe(true);
    expect(matches('apps/', 'apps')).toBe(false);
    expect(matches('/docs/', 'docs/a/b.md')).toBe(true);
    expect(matches('/docs/', 'x/docs/b.md')).toBe(false);
    expect(matches('/build/logs/', 'build/logs/deep/x.log')).toBe(true);
    expect(matches('src/app', 'src/app/x.ts')).toBe(true);
    expect(matches('src/app', 'lib/src/app/x.ts')).toBe(false);
    expect(matches('**/logs', 'a/b/logs/x')).toBe(true);
    expect(matches('a/**/b', 'a/x/y/b')).toBe(true);
    expect(matches('a/**', 'a/x/y')).toBe(true);
    expect(matches('*', 'any/where.ts')).toBe(true);
  });

  it('holds only the direct children with docs/*, as GitHub documents', () => {
    expect(matches('docs/*', 'docs/getting-started.md')).toBe(true);
    expect(matches('docs/*', 'docs/build-app/troubleshooting.md')).toBe(false);
  });

  it('gives a file the last matching rule, and a rule without owners leaves it unowned', () => {
    const co = parseCodeowners('*       @everyone\n/src/   @core  # the core team\n/src/gen/\n\\#odd\\ name @jane\n', 'CODEOWNERS');
    expect(co.problems).toEqual([]);
    expect(ruleFor(co.rules, 'README.md')?.owners).toEqual(['@everyone']);
    expect(ruleFor(co.rules, 'src/a.ts')?.owners).toEqual(['@core']);
    expect(ruleFor(co.rules, 'src/gen/x.ts')?.owners).toEqual([]);
    expect(ruleFor(co.rules, '#odd name')?.owners).toEqual(['@jane']);
  });
});

describe('CODEOWNERS against who knows the files, in a local repository', { timeout: 60_000 }, () => {
  const repo = join(tmp.dir, 'repo');
  buildRepo(repo, [
    { author: 'Ana <ana@example.com>', date: day(0), add: ['api/a.ts', 'api/b.ts', 'web/c.ts', 'tools/d.ts', 'CODEOWNERS', '.github/CODEOWNERS'], content: {
      // The root file is not in force: .github/ comes first.
      CODEOWNERS: '* @nobody\n',
      '.github/CODEOWNERS': '/api/ ana@example.com\n/web/ bo@example.com ana@example.com\n/tools/ cy@example.com\n',
    } },
    { author: 'Bo <bo@example.com>', date: day(5), modify: ['api/a.ts'], add: ['web/e.ts', 'web/f.ts', 'misc/g.ts'] },
    { author: 'Cy <cy@example.com>', date: day(6), add: ['README.md'] },
  ]);

  it('reports owners who never touched their area, knowers not declared, and files no rule covers', async () => {
    const k = await analyseLocalRepository(repo);
    const drift = k.codeowners;
    expect(drift.path).toBe('.github/CODEOWNERS');
    expect(drift.problems).toEqual([]);
    const rule = (pattern: string) => drift.rules.find((r) => r.pattern === pattern)!;
    expect(rule('/api/')).toMatchObject({ files: 2, declared: ['Ana'], untouchedOwners: [], ownersNeverTouched: false, mainAuthor: 'Ana', mainAuthorDeclared: true });
    // Bo changed api/a.ts without becoming its author: only authors are knowers.
    expect(rule('/api/').undeclaredKnowers).toEqual([]);
    expect(rule('/web/')).toMatchObject({ files: 3, mainAuthor: 'Bo', mainAuthorDeclared: true, untouchedOwners: [] });
    // Cy owns tools/ but never touched it; Ana, who wrote it, is not declared.
    expect(rule('/tools/')).toMatchObject({ files: 1, declared: ['Cy'], untouchedOwners: ['Cy'], ownersNeverTouched: true, undeclaredKnowers: ['Ana'], mainAuthor: 'Ana', mainAuthorDeclared: false });
    // README.md is documentation, not among the files knowledge counts.
    expect(drift.uncoveredFiles).toEqual(['CODEOWNERS', 'misc/g.ts']);
  });

  it('prints the drift in guidepost knowledge, the text report and --json', async () => {
    const text = await guidepost(['knowledge', repo]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('CODEOWNERS (.github/CODEOWNERS): 3 rules; owners who never touched their area: 1; main author not declared: 1; uncovered code files: 2');
    expect(text.stdout).toContain('/tools/ (line 3): Cy never touched it; known by Ana');
    const json = JSON.parse((await guidepost(['knowledge', repo, '--json'])).stdout) as { codeowners: { path: string; uncoveredFiles: string[] } };
    expect(json.codeowners).toMatchObject({ path: '.github/CODEOWNERS', uncoveredFiles: ['CODEOWNERS', 'misc/g.ts'] });
  });

  it('reads the one CODEOWNERS blob a blob-less partial clone lacks, fetching it on demand', async () => {
    const bare = join(tmp.dir, 'served.git');
    execFileSync('git', ['clone', '-q', '--bare', repo, bare]);
    appendFileSync(join(bare, 'config'), '[uploadpack]\n\tallowFilter = true\n\tallowAnySHA1InWant = true\n');
    const partial = join(tmp.dir, 'partial.git');
    execFileSync('git', ['clone', '-q', '--bare', '--filter=blob:none', `file://${bare}`, partial]);
    const sha = execFileSync('git', ['-C', partial, 'rev-parse', 'HEAD']).toString().trim();
    const missing = () => execFileSync('git', ['-C', partial, 'rev-list', '--objects', '--missing=print', 'HEAD']).toString().split('\n').filter((l) => l.startsWith('?')).length;
    const before = missing();
    const file = await readCodeowners(partial, sha);
    expect(file?.path).toBe('.github/CODEOWNERS');
    expect(file?.text).toContain('/tools/ cy@example.com');
    expect(missing()).toBe(before - 1);
  });
});
