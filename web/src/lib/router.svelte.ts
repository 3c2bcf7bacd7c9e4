// A small history router. The path picks the page; the filters (period, team, repo) live in the
// query string so a view can be shared by copying the address bar.
import { DEFAULT_PERIOD, periodOf, type Period } from './periods.ts';

export type PageName =
  | 'overview' | 'mentoring' | 'reviews' | 'knowledge' | 'team' | 'repo' | 'person'
  | 'brief' | 'sync' | 'connections' | 'settings' | 'welcome' | 'login' | 'not-found';

export interface Route {
  name: PageName;
  params: Record<string, string>;
}

const patterns: [PageName, RegExp, string[]][] = [
  ['overview', /^\/$/, []],
  ['mentoring', /^\/mentoring\/?$/, []],
  ['reviews', /^\/reviews\/?$/, []],
  ['knowledge', /^\/knowledge\/?$/, []],
  ['repo', /^\/repos\/([^/]+)\/([^/]+)\/?$/, ['owner', 'repo']],
  ['team', /^\/teams\/([^/]+)\/?$/, ['team']],
  ['person', /^\/people\/([^/]+)\/?$/, ['login']],
  ['brief', /^\/brief\/?$/, []],
  ['sync', /^\/sync\/?$/, []],
  ['connections', /^\/connect(ions)?\/?$/, []],
  ['settings', /^\/settings\/?$/, []],
  ['welcome', /^\/welcome\/?$/, []],
  ['login', /^\/login\/?$/, []],
];

export function matchRoute(path: string): Route {
  for (const [name, re, keys] of patterns) {
    const m = re.exec(path);
    if (m) {
      const params: Record<string, string> = {};
      keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
      return { name, params };
    }
  }
  return { name: 'not-found', params: {} };
}

export { PERIODS, type Period } from './periods.ts';

/** Query keys that follow the user from page to page. */
const FILTER_KEYS = ['period', 'team', 'repo', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export class Router {
  path = $state('/');
  search = $state('');
  route: Route = $derived(matchRoute(this.path));
  #query = $derived(new URLSearchParams(this.search));
  period: Period = $derived(periodOf(this.#query.get('period')));
  team = $derived(this.#query.get('team') ?? '');
  repo = $derived(this.#query.get('repo') ?? '');
  /** Optional explicit end of the window (YYYY-MM-DD); otherwise the end of the synced data. */
  to = $derived(this.#query.get('to') ?? '');

  constructor() {
    this.#read();
    if (location.hash) scrollToHash(location.hash);
    addEventListener('popstate', () => this.#read());
    // Plain <a href="/..."> links navigate without a reload.
    document.addEventListener('click', (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a');
      if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
      if (a.pathname.startsWith('/api/')) return;
      e.preventDefault();
      this.navigate(a.pathname + a.search + a.hash);
    });
  }

  #read(): void {
    this.path = location.pathname;
    this.search = location.search;
  }

  param(key: string): string {
    return this.#query.get(key) ?? '';
  }

  navigate(href: string, options: { replace?: boolean } = {}): void {
    const url = new URL(href, location.href);
    if (url.pathname + url.search === location.pathname + location.search) {
      if (url.hash && url.hash !== location.hash) {
        history.replaceState(null, '', url.hash);
        scrollToHash(url.hash);
      }
      return;
    }
    history[options.replace ? 'replaceState' : 'pushState'](null, '', url.pathname + url.search + url.hash);
    const pageChanged = url.pathname !== this.path;
    this.#read();
    if (url.hash) scrollToHash(url.hash, pageChanged);
    else if (pageChanged) scrollTo(0, 0);
  }

  /** A link to `path` that keeps the current filters (and adds `extra`). */
  href(path: string, extra: Record<string, string> = {}): string {
    const q = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const v = this.#query.get(k);
      if (v) q.set(k, v);
    }
    for (const [k, v] of Object.entries(extra)) v ? q.set(k, v) : q.delete(k);
    const s = q.toString();
    return path + (s ? `?${s}` : '');
  }

  setFilter(key: FilterKey, value: string): void {
    const q = new URLSearchParams(this.search);
    if (!value || (key === 'period' && value === DEFAULT_PERIOD)) q.delete(key);
    else q.set(key, value);
    const s = q.toString();
    this.navigate(this.path + (s ? `?${s}` : ''), { replace: false });
  }
}

/**
 * Scrolls to the element a link's #hash names once the page has drawn it: pages draw their
 * sections when their data arrives, after the navigation. When the page changes, an element of
 * that id on the page being left (the overview has #trends too) is not the one. Gives up after
 * a few seconds.
 */
function scrollToHash(hash: string, pageChanged = false): void {
  const id = decodeURIComponent(hash.slice(1));
  const old = pageChanged ? document.getElementById(id) : null;
  const until = Date.now() + 5_000;
  const look = () => {
    const el = document.getElementById(id);
    if (el && el !== old) holdInView(el, until);
    else if (Date.now() < until) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

/**
 * Scrolls to `el` and keeps it there while the page above it is still filling in (a section
 * drawn before the tiles over it have their data gets pushed down), until the reader scrolls
 * or the time is up.
 */
function holdInView(el: HTMLElement, until: number): void {
  el.scrollIntoView({ block: 'start' });
  const events = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
  const resized = new ResizeObserver(() => {
    if (Date.now() > until) return quit();
    if (Math.abs(el.getBoundingClientRect().top) > 2) el.scrollIntoView({ block: 'start' });
  });
  function quit() {
    resized.disconnect();
    for (const e of events) removeEventListener(e, quit);
  }
  for (const e of events) addEventListener(e, quit, { passive: true });
  resized.observe(document.body);
  setTimeout(quit, Math.max(0, until - Date.now()));
}

export const router = new Router();
