// Generation of the `large` scale: time and peak memory as ratios of the targets
// (issue 2: under 60 s and under 1 GiB), plus what was generated.
import { generateOrg } from '../simulator/generate/index.ts';

const TARGET_SECONDS = 60;
const TARGET_MIB = 1024;

export async function run(): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
  const t0 = performance.now();
  const org = generateOrg({ seed: 1, scale: 'large' });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  // maxRSS (KiB) also catches peaks between samples; generation is synchronous, so the sampler cannot.
  const mib = Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  const reviews = org.pulls.reduce((n, p) => n + p.reviews.length, 0);
  const commits = org.repos.reduce((n, r) => n + r.commits.length, 0);
  console.log(`generate large: ${seconds.toFixed(1)} s = ${(seconds / TARGET_SECONDS).toFixed(2)} × target (${TARGET_SECONDS} s)`);
  console.log(`peak memory:    ${mib.toFixed(0)} MiB = ${(mib / TARGET_MIB).toFixed(2)} × target (${TARGET_MIB} MiB)`);
  console.log(`generated:      ${org.repos.length} repos, ${org.people.length} people, ${org.pulls.length} PRs, ${reviews} reviews, ${commits} commits`);
}
