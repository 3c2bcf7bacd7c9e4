import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { guidepost } from './cli.fixture.ts';
import { tempDir } from './harness.ts';
import { buildRepo } from './knowledge.fixture.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const one = join(tmp.dir, 'one');
buildRepo(one, [{ author: 'A <a@x.io>', date: '2024-01-01T00:00:00Z', add: ['a.ts'] }]);

describe.concurrent('guidepost knowledge on something it cannot analyse', { timeout: 150_000 }, () => {
  it('says a repository with no commits has no history, in one line, and exits non-zero', async () => {
    const dir = join(tmp.dir, 'empty');
    execFileSync('git', ['init', '-q', dir]);
    const r = await guidepost(['knowledge', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([`guidepost: ${dir} has no commits yet; there is no history to analyse.`]);
    expect(r.stdout).toBe('');
  });

  it('says a folder that is not a repository is not one', async () => {
    const dir = join(tmp.dir, 'plain');
    mkdirSync(dir);
    const r = await guidepost(['knowledge', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([`guidepost: ${dir} is not a git repository.`]);
  });

  it('names a --rev that does not exist', async () => {
    const dir = one;
    const r = await guidepost(['knowledge', dir, '--rev', 'no-such-branch']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([`guidepost: Unknown revision "no-such-branch" in ${dir}; pass a branch, tag or commit that exists.`]);
  });

  it('refuses a --rev that would be read as a git option', async () => {
    const r = await guidepost(['knowledge', one, '--rev=--output=/tmp/x']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('is not a revision');
  });
});

describe.concurrent('guidepost knowledge --top', { timeout: 150_000 }, () => {
  it.each(['0', 'abc', '-5', '2.5', '10x', ''])('refuses --top %j in one line with exit code 1', async (top) => {
    const r = await guidepost(['knowledge', one, `--top=${top}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`guidepost: --top must be a positive whole number, like 10 (not "${top}").`]);
  });

  it('lists as many as --top says', async () => {
    const r = await guidepost(['knowledge', one, '--top', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Top owners');
  });
});
