import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { guidepost } from './cli.fixture.ts';
import { tempDir } from './harness.ts';
import { buildRepo } from './knowledge.fixture.ts';
import { readGitLog } from '../jobs/git/log.parse.ts';

// Hostile histories (issue 14, part 5): author names and paths holding the old field separator
// (\x1f), terminal escape sequences, newlines and tabs. Each directory has one author and three files, so the
// text report names every directory and its owner.
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
const EVE = 'Eve\x1fUnit\x1fSep';
const MAL = 'Mal\x1b]0;pwned\x07\x1b[31m\x9b2J';
const repo = join(tmp.dir, 'hostile.git');
buildRepo(
  repo,
  [
    { author: `${EVE} <eve@x.io>`, date: day(0), add: ['sep\x1fdir/a.ts', 'sep\x1fdir/b.ts', 'sep\x1fdir/c.ts'] },
    { author: `${MAL} <mal@x.io>`, date: day(1), add: ['\x1b[2Jevil/c.ts', '\x1b[2Jevil/d.ts', '\x1b[2Jevil/e.ts'] },
    // fast-import reads a quoted path with C escapes: a newline and a tab in the directory name
    { author: 'Nia <nia@x.io>', date: day(2), add: ['"line\\nbreak\\tdir/e.ts"', '"line\\nbreak\\tdir/f.ts"', '"line\\nbreak\\tdir/g.ts"'] },
    { author: `${EVE} <eve@x.io>`, date: day(3), rename: [['sep\x1fdir/b.ts', 'sep\x1fdir/\x01b2.ts']] },
  ],
  { bare: true },
);
// C0 but newline, DEL and C1: what may never reach a terminal raw.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe.concurrent('hostile names and paths', { timeout: 150_000 }, () => {
  it('parses every field whole: no byte in a name or path splits it', async () => {
    const commits = [];
    for await (const c of readGitLog(repo, 'main')) commits.push(c);
    expect(commits.map((c) => [c.authorName, c.authorEmail])).toEqual([
      [EVE, 'eve@x.io'],
      [MAL, 'mal@x.io'],
      ['Nia', 'nia@x.io'],
      [EVE, 'eve@x.io'],
    ]);
    expect(commits[2]!.changes.map((c) => c.path)).toEqual(['line\nbreak\tdir/e.ts', 'line\nbreak\tdir/f.ts', 'line\nbreak\tdir/g.ts']);
    expect(commits[3]!.changes).toEqual([{ status: 'R', path: 'sep\x1fdir/\x01b2.ts', oldPath: 'sep\x1fdir/b.ts' }]);
  });

  it('gives the JSON the names as they are, with no raw control character in the output', async () => {
    const r = await guidepost(['knowledge', repo, '--json']);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const out = JSON.parse(r.stdout) as { owners: { name: string; email: string; files: number }[]; islands: { directory: string; owner: string }[] };
    expect(out.owners.map((o) => [o.name, o.email, o.files]).sort()).toEqual([
      [EVE, 'eve@x.io', 3],
      [MAL, 'mal@x.io', 3],
      ['Nia', 'nia@x.io', 3],
    ]);
    expect(out.islands.map((i) => i.directory).sort()).toEqual(['\x1b[2Jevil', 'line\nbreak\tdir', 'sep\x1fdir']);
  });

  it('prints names and paths escaped in the text report: no escape sequence, no forged line', async () => {
    const r = await guidepost(['knowledge', repo]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('Eve\\x1fUnit\\x1fSep <eve@x.io>');
    expect(r.stdout).toContain('Mal\\x1b]0;pwned\\x07\\x1b[31m\\x9b2J <mal@x.io>');
    expect(r.stdout).toContain('  \\x1b[2Jevil  (3 files)  Mal\\x1b]0;pwned');
    expect(r.stdout).toContain('  line\\nbreak\\tdir  (3 files)  Nia');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('break'))).toEqual([]);
  });
});

describe('hostile paths in errors', { timeout: 150_000 }, () => {
  it('escapes the path and revision an error message quotes', async () => {
    const r = await guidepost(['knowledge', join(tmp.dir, 'no\x1b[2Jsuch'), '--rev', 'v\x1b]0;x\x07']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('no\\x1b[2Jsuch');
    const bad = await guidepost(['knowledge', repo, '--rev', 'v\x1b]0;x\x07']);
    expect(bad.stderr).not.toMatch(RAW_CONTROL);
    expect(bad.stderr).toContain('v\\x1b]0;x\\x07');
  });
});
