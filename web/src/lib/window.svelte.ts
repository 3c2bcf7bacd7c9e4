import { router, PERIODS } from './router.svelte.ts';
import { status } from './status.svelte.ts';
import type { Query } from './api.ts';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const fmt = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * The window every signal view asks for. It ends at the `to` in the address bar, else where the
 * synced data ends (the demo's history stops at a fixed date), else today; it spans the chosen
 * period. The previous window is the same length just before it, for "change vs previous".
 */
export class SignalWindow {
  weeks = $derived(PERIODS.find((p) => p.value === router.period)?.weeks ?? 12);
  /** Exclusive end, as a date (the server counts a date-only `to` as including that day). */
  toDay = $derived.by(() => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(router.to)) return router.to;
    const end = status.dataEnd ? Date.parse(status.dataEnd) : Date.now();
    return day(end);
  });
  fromDay = $derived(day(Date.parse(this.toDay) + DAY - this.weeks * 7 * DAY));
  prevToDay = $derived(day(Date.parse(this.fromDay) - DAY));
  prevFromDay = $derived(day(Date.parse(this.fromDay) - this.weeks * 7 * DAY));

  query = $derived<Query>({ from: this.fromDay, to: this.toDay, team: router.team || undefined, repo: router.repo || undefined });
  previous = $derived<Query>({ from: this.prevFromDay, to: this.prevToDay, team: router.team || undefined, repo: router.repo || undefined });
  label = $derived(`${fmt(this.fromDay)} – ${fmt(this.toDay)}`);
}

export const signalWindow = new SignalWindow();
