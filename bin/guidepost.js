#!/usr/bin/env node
// The `guidepost` command. TypeScript runs through tsx, so there is no separate build step; but
// transpiling at start-up costs about half a second, which `guidepost knowledge` (meant to take
// little more than the `git log` it reads) cannot afford. So the commands below run from the
// plain JavaScript `npm run build` leaves in dist/cli (bin/build-cli.js) while it matches every
// source file it was built from; otherwise, and for every other command, through tsx as before.
import { readFileSync, statSync } from 'node:fs';

const PREBUILT = new Set(['knowledge', '--version', '-V']);

const prebuilt = PREBUILT.has(process.argv[2] ?? '') ? freshBuild() : null;
if (prebuilt) await import(prebuilt);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}

/** The built entry's URL, or null when there is none or a source file changed since. */
function freshBuild() {
  const dir = new URL('../dist/cli/', import.meta.url);
  try {
    const { entry, inputs } = JSON.parse(readFileSync(new URL('inputs.json', dir), 'utf8'));
    const root = new URL('../', import.meta.url);
    for (const { path, size, mtimeMs } of inputs) {
      const s = statSync(new URL(path, root));
      if (s.size !== size || s.mtimeMs !== mtimeMs) return null;
    }
    return new URL(entry, dir).href;
  } catch {
    return null;
  }
}
