import { api } from './api.ts';
import { filtersOf, trendsQuery, windowOf } from './periods.ts';
import type { AuthMe, SyncStatus } from './types.ts';

/**
 * Runs from the small entry script, while the browser still downloads the app's code: asks for
 * the shell's status and, on the landing page, for the overview's data, so both are on their way
 * (or back) by the time the app mounts. The components ask for the same URLs through api.get and
 * take these answers (lib/api.ts `early`); a request listed here that no component makes costs
 * one wasted GET, never a wrong view.
 */
export function startEarlyRequests(): void {
  void api.early<AuthMe>('/auth/me');
  const sync = api.early<SyncStatus>('/sync');
  if (location.pathname !== '/') return;
  sync
    .then((s) => {
      // Mirrors lib/status.svelte.ts: with no data, or a sync running, the overview is not shown.
      if (s.running || s.queued > 0 || (!s.connectedOrgs.length && !s.repoCount)) return;
      const f = filtersOf(location.search);
      const w = windowOf(f, s.dataEnd);
      // What pages/Overview.svelte, components/Trends.svelte, components/FilterBar.svelte and
      // lib/formulas.svelte.ts ask for.
      void api.early('/overview', w.query);
      void api.early('/trends', trendsQuery(w.query));
      void api.early('/overview', w.previous);
      void api.early('/formulas');
      void api.early('/knowledge');
      void api.early('/teams');
      void api.early('/repos');
    })
    .catch(() => undefined); // the shell reads the same answer and shows the error
}
