// Everyday work: each person's first PR, their PRs in the last weeks, bot updates, and the
// bulk of PRs spread over everybody's time in the org in proportion to how active they are.
import type { Actor } from './actors.ts';
import type { GenContext } from './context.ts';
import type { PullSpec } from './spec.ts';
import { newSpec, sizeBig, sizeHuge, sizeSmall } from './spec.ts';
import type { ChangeKind } from './changes.ts';
import { DAY, HOUR } from './time.ts';

function homeRepo(ctx: GenContext, a: Actor): number {
  const { rng } = ctx;
  if (a.homeRepos.length === 0 || rng.chance(0.08)) return rng.int(0, ctx.repos.length - 1);
  return rng.pick(a.homeRepos);
}

function backgroundSpec(ctx: GenContext, a: Actor, created: number, tag: string): PullSpec {
  const { rng, now } = ctx;
  const x = rng.next();
  let total: number;
  let kind: ChangeKind = 'code';
  if (a.newcomerKind === 'approvals' || a.newcomerKind === 'peers') total = sizeSmall(rng);
  else if (x < 0.72) total = sizeSmall(rng);
  else if (x < 0.975) total = sizeBig(rng);
  else { total = sizeHuge(rng); kind = rng.chance(0.4) ? 'gen' : 'code'; }
  const y = rng.next();
  if (kind === 'code' && total < 400) kind = y < 0.06 ? 'docs' : y < 0.1 ? 'config' : 'code';
  let fate: PullSpec['fate'] | undefined;
  if (a.newcomerKind === 'unreviewed') fate = rng.chance(0.5) ? 'open' : 'merged';
  return newSpec(rng, homeRepo(ctx, a), a, created, now, { total, kind, tag, fate });
}

export function planBackground(ctx: GenContext): void {
  const { rng, now, cfg } = ctx;
  const humans = ctx.actors.filter((a) => !a.isBot);
  // Everybody's first PR opens at their first activity; everybody still here works recently.
  for (const a of humans) ctx.specs.push(backgroundSpec(ctx, a, a.first, 'first'));
  for (const a of humans) {
    if (a.role === 'ghost' || a.last < now - 75 * DAY) continue;
    const lo = Math.max(a.first + HOUR, now - 80 * DAY);
    const hi = Math.min(a.last, now) - 2 * DAY;
    if (hi > lo) ctx.specs.push(backgroundSpec(ctx, a, lo + Math.floor(rng.next() * (hi - lo)), 'recent'));
  }
  // Work in progress: a few drafts opened in the last days, not yet ready for review.
  const present = humans.filter((a) => a.role !== 'ghost' && a.last >= now && !a.newcomerKind);
  for (let i = 0; i < 2 + Math.round(cfg.pulls / 300); i++) {
    const a = rng.pick(present);
    ctx.specs.push(newSpec(rng, homeRepo(ctx, a), a, now - rng.int(24, 24 * 6) * HOUR, now, { total: sizeSmall(rng), tag: 'draft', draft: true, stayDraft: true }));
  }
  // Bots: dependency updates all year long, small enough never to count as rubber stamps.
  const bots = ctx.actors.filter((a) => a.isBot);
  const botPulls = Math.max(4, Math.round(cfg.pulls * 0.04));
  for (let i = 0; i < botPulls; i++) {
    const b = bots[i % bots.length] as Actor;
    const created = b.first + Math.floor(rng.next() * (now - b.first - DAY));
    ctx.specs.push(newSpec(rng, rng.int(0, ctx.repos.length - 1), b, created, now, { total: rng.int(2, 60), kind: 'bot', tag: 'bot', draft: false }));
  }
  // The rest, spread by activity weight × days in the org.
  const remaining = cfg.pulls - ctx.specs.length;
  const spans = humans.map((a) => Math.max(0, a.last - a.first - 2 * DAY));
  const weights = humans.map((a, i) => a.weight * (spans[i] as number));
  for (let i = 0; i < remaining; i++) {
    const k = rng.weighted(weights);
    const a = humans[k] as Actor;
    const created = a.first + HOUR + Math.floor(rng.next() * (spans[k] as number));
    ctx.specs.push(backgroundSpec(ctx, a, created, 'background'));
  }
}
