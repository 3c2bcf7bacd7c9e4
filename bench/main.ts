// `npm run bench [name...]`: runs bench/<name>.bench.ts (all of them when no name is given).
// Each benchmark exports `run(): Promise<void>` and prints ratios against a floor or a baseline
// measured in the same run, never absolute pass/fail timings.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}. Available: ${readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).join(', ')}`);
  process.exit(2);
}
for (const f of files) {
  console.log(`\n== ${f.replace(/\.bench\.ts$/, '')}`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run: () => Promise<void> };
  await mod.run();
}
