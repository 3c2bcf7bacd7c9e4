import { router } from './router.svelte.ts';
import { status } from './status.svelte.ts';
import { windowOf } from './periods.ts';
import type { Query } from './api.ts';

const fmt = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** The window every signal view asks for (see windowOf), following the address bar and the data. */
export class SignalWindow {
  #w = $derived(windowOf({ period: router.period, to: router.to, team: router.team, repo: router.repo }, status.dataEnd));
  weeks = $derived(this.#w.weeks);
  toDay = $derived(this.#w.toDay);
  fromDay = $derived(this.#w.fromDay);
  prevToDay = $derived(this.#w.prevToDay);
  prevFromDay = $derived(this.#w.prevFromDay);
  query = $derived<Query>(this.#w.query);
  previous = $derived<Query>(this.#w.previous);
  label = $derived(`${fmt(this.fromDay)} – ${fmt(this.toDay)}`);
}

export const signalWindow = new SignalWindow();
