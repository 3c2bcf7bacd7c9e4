import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guidepost } from './cli.fixture.ts';
import { tempDir } from './harness.ts';

// A command that only reads must not turn a mistyped --db into a new, empty database.

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.concurrent('guidepost report on a database that does not exist', { timeout: 150_000 }, () => {
  it('names the path, says what to do, exits 1 and creates no file', async () => {
    const typo = join(tmp.dir, 'guidepsot.db');
    const r = await guidepost(['report', '--db', typo]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`guidepost: There is no database at ${typo}. Check --db (or GUIDEPOST_DB), or run guidepost sync first to make one.`]);
    expect(existsSync(typo)).toBe(false);
  });

  it('creates no folder for a path in one that does not exist either', async () => {
    const dir = join(tmp.dir, 'no-such-folder');
    const r = await guidepost(['report', '--json', '--db', join(dir, 'guidepost.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(dir)).toBe(false);
  });
});
