// generateOrg: a whole simulated GitHub organisation from a seed and a scale, deterministic
// (same seed and scale → deep-equal SimOrg), with its planted truth computed from the data.
import type { Scale, SimOrg } from '../model.ts';
import type { Actor } from './actors.ts';
import { planBackground } from './background.ts';
import type { GenContext } from './context.ts';
import { buildHistories } from './history.ts';
import { createIds, nodeId } from './ids.ts';
import { topUpCarriers } from './load.ts';
import { generatePeople } from './people.ts';
import { chooseRoles, plantDeparted, plantIslands, plantStamps, plantUnmentored } from './planted.ts';
import { createRng } from './random.ts';
import { realizePulls } from './realize.ts';
import { planRepos } from './repos.ts';
import { createReviewBook } from './review-book.ts';
import { reviewBackground } from './reviewing.ts';
import { scaleConfig } from './scales.ts';
import { generateTeams } from './teams.ts';
import { text } from './text.ts';
import { computeTruth } from './truth.ts';
import { plantCodeowners } from './codeowners.ts';
import { DAY, HISTORY_DAYS, SIM_NOW, iso } from './time.ts';

export interface GenerateOptions {
  seed: number;
  scale: Scale;
}

export function generateOrg(opts: GenerateOptions): SimOrg {
  const { org, intended } = generateWithIntent(opts);
  void intended;
  return org;
}

/** The org plus what the generator meant to plant (tests compare it with the computed truth). */
export function generateWithIntent(opts: GenerateOptions): { org: SimOrg; intended: GenContext['intended'] } {
  if (!Number.isSafeInteger(opts.seed) || opts.seed < 0) throw new Error(`Seed must be a non-negative integer, got ${String(opts.seed)}.`);
  const cfg = scaleConfig(opts.scale);
  const rng = createRng(opts.seed * 2_654_435_761 + 17);
  const ids = createIds();
  const now = SIM_NOW;
  const login = `acme-${opts.seed}`;
  const actors = generatePeople(rng.fork('people'), ids, cfg, now, `${login}.example`);
  const repos = planRepos(rng.fork('repos'), ids, cfg.repos, cfg.codeDirs, (i) => iso(now - (HISTORY_DAYS + 4 + (i % 5)) * DAY));
  const teams = generateTeams(rng.fork('teams'), ids, cfg.teams, actors, cfg.repos);
  const byLogin = new Map(actors.map((a) => [a.login, a]));
  const reviewersByRepo = repos.map((_, i) => actors.filter((a) => !a.isBot && a.homeRepos.includes(i)));
  const ctx: GenContext = {
    rng: rng.fork('plan'), now, cfg, actors, byLogin, reviewersByRepo, repos,
    book: createReviewBook(now), specs: [], carriers: new Set(),
    intended: { mentorPairs: [], overloadedMentors: [], loadCarriers: [], rubberStampers: [], knowledgeIslands: [], departedOwners: [] },
  };
  chooseRoles(ctx);
  plantUnmentored(ctx);
  plantStamps(ctx);
  plantIslands(ctx);
  plantDeparted(ctx);
  planBackground(ctx);
  for (const s of ctx.specs) reviewBackground(ctx, s);
  topUpCarriers(ctx);
  numberPulls(ctx);
  buildHistories(ctx);
  const pulls = realizePulls(ctx, ids, teams);
  const orgId = ids.next('org', opts.seed % 100_000);
  const org: SimOrg = {
    seed: opts.seed, scale: opts.scale, now: iso(now),
    org: { id: orgId, nodeId: nodeId('org', orgId), login, name: `Acme ${opts.seed}`, createdAt: iso(now - (HISTORY_DAYS + 30) * DAY) },
    people: actors.map((a: Actor) => a.person),
    teams,
    repos: repos.map((r) => r.repo),
    pulls,
    truth: undefined as unknown as SimOrg['truth'],
  };
  plantCodeowners(org);
  org.truth = computeTruth(org);
  return { org, intended: ctx.intended };
}

/** Numbers PRs per repo in order of creation and gives them titles. */
function numberPulls(ctx: GenContext): void {
  ctx.specs.sort((a, b) => a.created - b.created || a.repo - b.repo);
  const next = ctx.repos.map(() => 1);
  const rng = ctx.rng.fork('titles');
  for (const s of ctx.specs) {
    s.number = next[s.repo]!++;
    s.title = s.author.isBot ? text.botTitle(rng, s.author.login) : text.prTitle(rng);
  }
}
