// Child process of bench/knowledge.bench.ts: one full knowledge run on a local repository,
// printing its wall time, the CPU spent before it began (start-up) and this process's peak RSS.
import { analyseLocalRepository } from '../jobs/git/knowledge.local.ts';

const [repo, rev] = process.argv.slice(2) as [string, string];
const startup = process.cpuUsage();
const t = performance.now();
const r = await analyseLocalRepository(repo, { rev });
const seconds = (performance.now() - t) / 1000;
process.stdout.write(
  JSON.stringify({
    seconds,
    startupCpu: (startup.user + startup.system) / 1e6,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    truckFactor: r.truckFactor,
    files: r.files,
    commits: r.commits,
  }),
);
