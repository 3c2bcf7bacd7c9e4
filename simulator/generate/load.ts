// Load carriers: their boosted weight makes them review a lot; this tops them up until each
// gives at least 3.6 × the mean number of reviews in the window (the definition asks for 3 ×).
import type { Actor } from './actors.ts';
import type { GenContext } from './context.ts';
import { canPlainApprove, canSubstantive } from './review-book.ts';
import { addReview } from './reviewing.ts';
import { activeAt } from './spec.ts';
import { DAY, HOUR } from './time.ts';

const TARGET = 3.6;

export function topUpCarriers(ctx: GenContext): void {
  const { rng, now, book } = ctx;
  const counts = book.windowCount;
  const meanNow = () => {
    let sum = 0;
    let n = 0;
    for (const [login, c] of counts) {
      const a = ctx.byLogin.get(login);
      if (!a || a.isBot || a.role === 'ghost') continue;
      sum += c;
      n++;
    }
    return n === 0 ? 0 : sum / n;
  };
  const open = ctx.specs.filter((s) => !s.locked && !s.draftNow && s.fate !== 'closed' && !s.author.isBot
    && (!s.author.newcomerKind || s.author.newcomerKind === 'approvals')
    && (s.end ?? now) > book.windowStart + 2 * DAY);
  // Carriers raise the mean they are measured against, so top up the one furthest behind each time.
  const carriers = ctx.intended.loadCarriers.map((l) => ctx.byLogin.get(l) as Actor);
  for (let guard = 0; guard < 50_000 && open.length > 0; guard++) {
    const mean = meanNow();
    const c = carriers.reduce((lo, x) => ((counts.get(x.login) ?? 0) < (counts.get(lo.login) ?? 0) ? x : lo), carriers[0] as Actor);
    if (!c || (counts.get(c.login) ?? 0) >= TARGET * mean) break;
    const s = rng.pick(open);
    // A carrier may come back to a PR once more (a comment review, then an approval).
    if (s.author === c || s.reviews.filter((r) => r.reviewer === c).length >= 2) continue;
    const lo = Math.max((s.readyAt ?? s.created) + HOUR, book.windowStart + DAY);
    const hi = (s.end ?? now - HOUR) - HOUR / 2;
    if (hi <= lo) continue;
    const at = lo + Math.floor(rng.next() * (hi - lo));
    if (!activeAt(c, at)) continue;
    if (rng.chance(0.3) && !s.author.newcomerKind && canSubstantive(book, c, s.author, at)) addReview(ctx, s, c, at, 'comment', rng.int(1, 3));
    else if (canPlainApprove(book, c, at, s.total)) addReview(ctx, s, c, at, 'approve', 0);
  }
}
