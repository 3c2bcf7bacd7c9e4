// Child process of bench/sync.bench.ts: serves a simulated org (no git) and prints one JSON
// line with its URL and token, so the benchmark's own memory holds only the sync.
import { startSimulator } from '../simulator/start.ts';

const [scale = 'medium', latency = '50', concurrency = '10'] = process.argv.slice(2);
const sim = await startSimulator({ seed: 1, scale: scale as 'medium', latencyMs: Number(latency), git: false, rateLimit: 1_000_000, secondaryConcurrency: Number(concurrency) });
process.stdout.write(`${JSON.stringify({ url: sim.url, token: sim.token, org: sim.org.org.login, repos: sim.org.repos.length, pulls: sim.org.pulls.length, now: sim.org.now })}\n`);
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
