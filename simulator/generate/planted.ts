// The planted structure (docs/simulator.md): mentor → mentee pairs and one overloaded mentor,
// unmentored newcomers of three kinds, rubber-stampers, knowledge islands and departed owners.
// Load carriers are planted by reviewer weights (reviewing.ts) and topped up in load.ts.
import type { Actor } from './actors.ts';
import type { GenContext } from './context.ts';
import { addReview, isPeer, pickReviewer } from './reviewing.ts';
import { pairKey } from './review-book.ts';
import { addCodeFiles, reservedDirName } from './repos.ts';
import type { PullSpec } from './spec.ts';
import { activeAt, newSpec, sizeBig, sizeSmall } from './spec.ts';
import { DAY, HOUR } from './time.ts';

const ISLAND_NAMES = ['legacy-export', 'tax-rules', 'pdf-renderer', 'geo-routing', 'fx-rates', 'ml-scoring', 'sso-bridge', 'edi-parser'];
const DEPARTED_NAMES = ['sync-engine', 'old-billing', 'report-builder', 'ingest-v1', 'batch-jobs'];

/** A time in the planted part of the window: well inside it, so window edges never matter. */
function inWindow(ctx: GenContext, a: Actor, fromDays = 80, toDays = 3): number {
  const lo = Math.max(a.first + 2 * HOUR, ctx.now - fromDays * DAY);
  const hi = Math.min(a.last, ctx.now) - toDays * DAY;
  return lo + Math.floor(ctx.rng.next() * Math.max(HOUR, hi - lo));
}

function mentorTime(ctx: GenContext, s: PullSpec, r: Actor): number {
  const lo = (s.readyAt ?? s.created) + HOUR;
  const hi = (s.end ?? ctx.now - HOUR) - HOUR / 2;
  const t = lo + Math.floor(ctx.rng.next() * Math.max(0, hi - lo));
  return activeAt(r, t) ? t : lo;
}

/** Chooses who plays which planted role; returns the roles for later phases. */
export function chooseRoles(ctx: GenContext): void {
  const { rng } = ctx;
  const seniors = rng.shuffle(ctx.actors.filter((a) => a.role === 'senior'));
  const take = (n: number) => seniors.splice(0, n);
  const [overloaded] = take(1);
  const mentors = take(ctx.cfg.mentors);
  const carriers = take(ctx.cfg.loadCarriers);
  const mids = rng.shuffle(ctx.actors.filter((a) => a.role === 'mid'));
  const stampers = [...mids.splice(0, Math.min(mids.length, ctx.cfg.rubberStampers - 1)), ...take(1)];
  while (stampers.length < ctx.cfg.rubberStampers && seniors.length > 2) stampers.push(...take(1));
  ctx.intended.loadCarriers = carriers.map((a) => a.login);
  for (const c of carriers) ctx.carriers.add(c.login);
  ctx.intended.rubberStampers = stampers.map((a) => a.login);
  for (const s of stampers) ctx.book.stampers.add(s.login);
  // Mentees: juniors and mentored newcomers; the overloaded mentor takes six or seven.
  const mentees = rng.shuffle(ctx.actors.filter((a) => a.role === 'junior' || a.role === 'mentoredNewcomer'));
  const pairs: { mentor: Actor; mentee: Actor }[] = [];
  // One junior stays unmentored where there are enough mentees to spare one.
  const spare = mentees.length > 7 ? mentees.find((m) => m.role === 'junior') : undefined;
  const pool = mentees.filter((m) => m !== spare);
  if (overloaded) {
    const n = Math.min(pool.length, rng.int(6, 7));
    for (const m of pool.slice(0, n)) pairs.push({ mentor: overloaded, mentee: m });
    if (n > 5) ctx.intended.overloadedMentors = [overloaded.login];
  }
  // Other mentors cover every mentored newcomer, plus a few juniors.
  const newcomers = pool.filter((m) => m.role === 'mentoredNewcomer');
  const juniors = pool.filter((m) => m.role === 'junior');
  mentors.forEach((mentor, i) => {
    const mine = new Set<Actor>();
    for (let k = i; k < newcomers.length; k += mentors.length) mine.add(newcomers[k] as Actor);
    const extra = rng.int(0, 2);
    for (let k = 0; k < extra && juniors.length > 0; k++) mine.add(rng.pick(juniors));
    if (mine.size === 0 && juniors.length > 0) mine.add(rng.pick(juniors));
    for (const m of [...mine].slice(0, 4)) pairs.push({ mentor, mentee: m });
  });
  for (const p of pairs) ctx.book.plantedPairs.add(pairKey(p.mentor.login, p.mentee.login));
  ctx.intended.mentorPairs = pairs.map((p) => ({ mentor: p.mentor.login, mentee: p.mentee.login }));
  plantMentoring(ctx, pairs);
}

function plantMentoring(ctx: GenContext, pairs: { mentor: Actor; mentee: Actor }[]): void {
  const { rng, now } = ctx;
  for (const { mentor, mentee } of pairs) {
    const n = rng.int(2, 3);
    for (let i = 0; i < n; i++) {
      const s = newSpec(rng, rng.pick(mentee.homeRepos.length ? mentee.homeRepos : [0]), mentee, inWindow(ctx, mentee, 78, 6), now, { total: sizeSmall(rng), tag: 'mentoring', draft: false, fate: 'merged' });
      const at = mentorTime(ctx, s, mentor);
      addReview(ctx, s, mentor, at, i === 0 && rng.chance(0.5) ? 'changes' : 'comment', rng.int(1, 4));
      ctx.specs.push(s);
    }
  }
}

/** Newcomers nobody mentors: reviewed by peers only, by silent approvals only, or not at all. */
export function plantUnmentored(ctx: GenContext): void {
  const { rng, now } = ctx;
  for (const a of ctx.actors.filter((x) => x.role === 'unmentoredNewcomer')) {
    if (a.newcomerKind === 'peers') {
      const s1 = newSpec(rng, rng.pick(a.homeRepos), a, inWindow(ctx, a, 75, 8), now, { total: sizeSmall(rng), tag: 'peers', draft: false, fate: 'merged' });
      const at = mentorTime(ctx, s1, a);
      const peer = pickReviewer(ctx, s1, at, new Set(), (r) => isPeer(r, a) && r.role !== 'unmentoredNewcomer');
      if (!peer) continue;
      addReview(ctx, s1, peer, at, 'changes', rng.int(1, 3));
      const s2 = newSpec(rng, s1.repo, a, inWindow(ctx, a, 75, 8), now, { total: sizeSmall(rng), tag: 'peers', draft: false, fate: 'merged' });
      const at2 = mentorTime(ctx, s2, peer);
      if (activeAt(peer, at2)) addReview(ctx, s2, peer, at2, 'comment', rng.int(1, 3));
      ctx.specs.push(s1, s2);
    } else if (a.newcomerKind === 'approvals') {
      for (let i = 0; i < 2; i++) {
        const s = newSpec(rng, rng.pick(a.homeRepos), a, inWindow(ctx, a, 75, 8), now, { total: rng.int(5, 150), tag: 'approvals', draft: false, fate: 'merged' });
        const at = mentorTime(ctx, s, a);
        const r = pickReviewer(ctx, s, at, new Set(), (c) => c.role === 'senior');
        if (r) addReview(ctx, s, r, at, 'approve', 0);
        s.locked = true;
        ctx.specs.push(s);
      }
    } else {
      const s = newSpec(rng, rng.pick(a.homeRepos), a, inWindow(ctx, a, 20, 2), now, { total: sizeSmall(rng), tag: 'waiting', draft: false, fate: 'open' });
      const asked = pickReviewer(ctx, s, now - HOUR, new Set(), () => true);
      if (asked) s.pendingAsks.push(asked);
      s.locked = true;
      ctx.specs.push(s);
    }
  }
}

/** Rubber-stampers: approve big PRs without a word, and review little else in the window. */
export function plantStamps(ctx: GenContext): void {
  const { rng, now } = ctx;
  for (const login of ctx.intended.rubberStampers) {
    const st = ctx.byLogin.get(login) as Actor;
    const n = rng.int(4, 5);
    for (let i = 0; i < n; i++) {
      const repo = rng.pick(st.homeRepos);
      const authors = (ctx.reviewersByRepo[repo] as Actor[]).filter((a) => a !== st && a.role !== 'ghost' && !a.newcomerKind && a.last >= now && a.first < now - 100 * DAY);
      if (authors.length === 0) continue;
      const author = rng.pick(authors);
      const s = newSpec(rng, repo, author, inWindow(ctx, author, 78, 5), now, { total: sizeBig(rng), tag: 'stamp', draft: false, fate: 'merged' });
      addReview(ctx, s, st, mentorTime(ctx, s, st), 'approve', 0);
      s.mergedBy = st;
      s.locked = true;
      ctx.specs.push(s);
    }
  }
}

/** Knowledge islands: a directory one active person created, changes and merges unreviewed. */
export function plantIslands(ctx: GenContext): void {
  const { rng, now } = ctx;
  const taken = new Set([...ctx.intended.loadCarriers, ...ctx.intended.rubberStampers, ...ctx.intended.overloadedMentors]);
  const owners = rng.shuffle(ctx.actors.filter((a) => a.role === 'senior' && !taken.has(a.login)));
  for (let i = 0; i < ctx.cfg.islands && i < owners.length; i++) {
    const owner = owners[i] as Actor;
    const repoIdx = rng.pick(owner.homeRepos);
    const plan = ctx.repos[repoIdx]!;
    const dir = reservedDirName(rng, plan, ISLAND_NAMES[i % ISLAND_NAMES.length] as string);
    plan.reserved.add(dir);
    addCodeFiles(rng, plan.importFiles, dir, plan.lang, rng.int(4, 6), owner.login);
    ctx.intended.knowledgeIslands.push({ repo: plan.repo.name, directory: dir, owner: owner.login });
    const n = rng.int(3, 5);
    for (let k = 0; k < n; k++) {
      const created = k === 0 ? now - rng.int(20, 150) * DAY : owner.first + HOUR + Math.floor(rng.next() * (now - owner.first - 10 * DAY));
      const s = newSpec(rng, repoIdx, owner, created, now, { total: sizeSmall(rng), dir, tag: 'island', draft: false, fate: 'merged' });
      s.locked = true;
      s.mergedBy = owner;
      ctx.specs.push(s);
    }
  }
}

/** Departed owners: created a big directory, worked on it, then left long before `now`. */
export function plantDeparted(ctx: GenContext): void {
  const { rng, now } = ctx;
  ctx.actors.filter((a) => a.role === 'departedOwner').forEach((d, i) => {
    const repoIdx = rng.pick(d.homeRepos);
    const plan = ctx.repos[repoIdx]!;
    const dir = reservedDirName(rng, plan, DEPARTED_NAMES[i % DEPARTED_NAMES.length] as string);
    plan.reserved.add(dir);
    addCodeFiles(rng, plan.importFiles, dir, plan.lang, rng.int(12, 16), d.login);
    ctx.intended.departedOwners.push({ login: d.login, repos: [plan.repo.name] });
    for (let k = 0; k < 4; k++) {
      const created = d.first + HOUR + Math.floor(rng.next() * (d.last - d.first - 10 * DAY));
      const s = newSpec(rng, repoIdx, d, created, now, { total: sizeSmall(rng), dir, tag: 'departed', draft: false, fate: 'merged' });
      ctx.specs.push(s);
    }
  });
}
