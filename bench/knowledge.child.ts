// Child process of bench/knowledge.bench.ts: one full knowledge run on a local repository,
// printing its wall time and this process's peak RSS as JSON.
import { analyseLocalRepository } from '../jobs/git/knowledge.local.ts';

const [repo, rev] = process.argv.slice(2) as [string, string];
const t = performance.now();
const r = await analyseLocalRepository(repo, { rev });
const seconds = (performance.now() - t) / 1000;
process.stdout.write(
  JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, truckFactor: r.truckFactor, files: r.files, commits: r.commits }),
);
