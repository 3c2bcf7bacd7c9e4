import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guidepost } from './cli.fixture.ts';
import { tempDir } from './harness.ts';

// A mistyped --db must say so, not answer from a new, empty database it just made.
describe('guidepost admin on a database that is not there', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  for (const args of [['admin', 'list'], ['admin', 'remove', 'someone']]) {
    it(`${args.join(' ')} says there is no database and creates none`, async () => {
      const tmp = tempDir();
      cleanup = tmp.cleanup;
      const dbPath = join(tmp.dir, 'typo.db');
      const res = await guidepost([...args, '--db', dbPath], 60_000);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`There is no database at ${dbPath}`);
      expect(res.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(dbPath)).toBe(false);
    });
  }
});
