import type { Command } from 'commander';
import type { Scale } from '../simulator/model.ts';
import { action } from './common.ts';

const SCALES: Scale[] = ['tiny', 'small', 'medium', 'large'];

interface SimulateFlags {
  port: string;
  seed: string;
  scale: string;
  faults?: string;
  latency?: string;
  from?: string;
  truth?: string;
  rateLimit?: string;
  clockSpeed?: string;
  reposRoot?: string;
  token?: string;
  webhook?: string;
  webhookSecret?: string;
  dropWebhooks?: string;
  evolveEvery?: string;
}

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} must be a number, got "${value}"`);
  return n;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('serve a simulated GitHub organisation (REST, GraphQL, git) with planted truth at /_sim/truth')
    .option('--port <port>', 'port on 127.0.0.1, 0 for any free port', '4010')
    .option('--seed <n>', 'seed for the generated org (same seed, same data)', '1')
    .option('--scale <scale>', `org size: ${SCALES.join(', ')}`, 'small')
    .option('--faults <rate>', 'share of API requests answered with 500, 502, a reset connection or a slow answer (0..1)')
    .option('--latency <ms>', 'delay added to every API answer, in milliseconds')
    .option('--from <file>', 'serve a recorded organisation snapshot instead of a generated one')
    .option('--truth <file>', 'also write the planted truth to this file')
    .option('--rate-limit <n>', 'primary rate limit per token per hour (default 5000)')
    .option('--clock-speed <x>', 'rate-limit clock speed: 1 = real time, 3600 = an hour per second')
    .option('--repos-root <dir>', 'folder for the served git repositories (default: a temporary folder)')
    .option('--token <token>', 'token clients must send (default: a new random one)')
    .option('--webhook <url>', 'send signed GitHub webhook deliveries to this URL as the org evolves')
    .option('--webhook-secret <secret>', 'secret the deliveries are signed with (at least 16 characters; not read from the environment)')
    .option('--drop-webhooks <share>', 'share of webhook deliveries not sent (0..1, picked from the seed), so the receiver misses some')
    .option('--evolve-every <seconds>', 'evolve the org on a timer (a live demo); each evolve sends its webhooks')
    .action(
      action(async (flags: SimulateFlags) => {
        if (!SCALES.includes(flags.scale as Scale)) throw new Error(`--scale must be one of ${SCALES.join(', ')}, got "${flags.scale}"`);
        if ((flags.webhook === undefined) !== (flags.webhookSecret === undefined)) throw new Error('--webhook and --webhook-secret go together: give both, e.g. --webhook http://127.0.0.1:3000/api/webhooks/github --webhook-secret "$(openssl rand -hex 32)"');
        const evolveEvery = num('--evolve-every', flags.evolveEvery);
        if (evolveEvery !== undefined && !(evolveEvery >= 1 && evolveEvery <= 86_400)) throw new Error('--evolve-every must be seconds from 1 to 86400');
        // Loaded only when simulating, so other commands do not pay for the simulator.
        const { startSimulator } = await import('../simulator/start.ts');
        const sim = await startSimulator({
          port: num('--port', flags.port),
          seed: num('--seed', flags.seed),
          scale: flags.scale as Scale,
          faults: num('--faults', flags.faults),
          latencyMs: num('--latency', flags.latency),
          from: flags.from,
          truthFile: flags.truth,
          rateLimit: num('--rate-limit', flags.rateLimit),
          clockSpeed: num('--clock-speed', flags.clockSpeed),
          reposRoot: flags.reposRoot,
          token: flags.token,
          webhook: flags.webhook === undefined ? undefined : { url: flags.webhook, secret: flags.webhookSecret ?? '' },
          dropWebhooks: num('--drop-webhooks', flags.dropWebhooks),
        });
        process.stdout.write(`url: ${sim.url}\ntoken: ${sim.token}\n`);
        const o = sim.org;
        if (flags.webhook !== undefined) process.stdout.write(`webhooks: on, deliveries listed at ${sim.url}/_sim/webhooks\n`);
        process.stdout.write(`serving org ${o.org.login}: ${o.repos.length} repos, ${o.people.length} people, ${o.pulls.length} pull requests; truth at ${sim.url}/_sim/truth\n`);
        // A small step each time, through the same POST /_sim/evolve a test would send; a tick
        // that comes while the last step is still writing git is skipped, not overlapped.
        let evolving = false;
        const timer = evolveEvery === undefined ? null : setInterval(() => {
          if (evolving) return;
          evolving = true;
          void fetch(`${sim.url}/_sim/evolve`, { method: 'POST', body: JSON.stringify({ newPulls: 1, newReviewsOnOldPulls: 1, lateMerges: 1, days: 1 }) })
            .then(async (res) => process.stdout.write(res.ok ? `evolved: ${((await res.json()) as { to: string }).to}\n` : `evolve failed: ${res.status}\n`))
            .catch(() => process.stdout.write('evolve failed: the simulator did not answer\n'))
            .finally(() => {
              evolving = false;
            });
        }, evolveEvery * 1000);
        const stop = () => {
          if (timer) clearInterval(timer);
          void sim.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
