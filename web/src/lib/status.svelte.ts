import { api, ApiError, setCsrfToken } from './api.ts';
import type { AuthMe, SyncStatus } from './types.ts';

/**
 * What the whole dashboard needs to know about the server: is an org connected, is a sync
 * running, and where the synced data ends (the default end of every window). GET /api/sync
 * answers all of it in one round trip. Polls while a sync runs.
 */
export class AppStatus {
  sync = $state.raw<SyncStatus | undefined>(undefined);
  error = $state.raw<ApiError | undefined>(undefined);
  loaded = $state(false);
  auth = $state.raw<AuthMe | undefined>(undefined);
  /** A login is required and nobody is logged in: only the login page can be shown. */
  needsLogin = $derived(!!this.auth?.authRequired && !this.auth.user);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wasRunning = false;

  /** Repositories with synced data (an org synced from the CLI has data but no connection). */
  repos = $derived(this.sync?.repoCount ?? 0);
  hasOrg = $derived((this.sync?.connectedOrgs.length ?? 0) > 0 || this.repos > 0);
  org = $derived(this.sync?.shownOrg ?? this.sync?.connectedOrgs[0] ?? this.sync?.dataOrg ?? '');
  /** A sync is running or waiting to run. */
  running = $derived(!!this.sync && (this.sync.running || this.sync.queued > 0));
  /**
   * End of the synced data: the demo's history ends at a fixed instant, not today. Taken when no
   * sync runs, so the window does not move (and every view refetch) while one fills the tables.
   */
  #dataEnd = $state<string | null>(null);
  /**
   * A repository had finished syncing when the dashboard opened, or while no sync ran: data from
   * before this sync. A first sync's own half-done repos do not count, so its first run stays.
   */
  #syncedBefore = $state(false);
  #seen = false;
  /**
   * Synced data exists: signals were derived, or repositories synced before this sync. From then
   * on the data is always shown, and a sync in progress or failing is a banner over it.
   */
  hasData = $derived(this.repos > 0 && (!!this.#dataEnd || this.#syncedBefore));
  /** The first sync of a new connection is still running: there is nothing to show yet. */
  firstSyncPending = $derived(this.hasOrg && this.running && !this.hasData);
  /** Problems the sync reports in words (failing or retrying jobs, failed repositories). */
  problems = $derived(this.sync?.errors ?? []);
  /** Waits for a spent GitHub rate limit to reset, in words: a pause, not a problem. */
  waits = $derived(this.sync?.waits ?? []);
  /** The last good sync is older than twice the re-sync interval (never said of the demo). */
  stale = $derived(this.sync?.stale ?? null);
  dataEnd = $derived(this.#dataEnd);

  async refresh(): Promise<void> {
    const first = !this.auth;
    const [me, s] = await Promise.allSettled([first ? api.get<AuthMe>('/auth/me') : Promise.resolve(this.auth!), api.get<SyncStatus>('/sync')]);
    if (first) {
      this.auth = me.status === 'fulfilled' ? me.value : { user: null, authRequired: false, setupNeeded: false };
      setCsrfToken(this.auth.csrfToken);
    }
    if (this.needsLogin) {
      this.loaded = true;
      return;
    }
    this.sync = s.status === 'fulfilled' ? s.value : undefined;
    this.error = s.status === 'rejected' && s.reason instanceof ApiError && s.reason.status !== 404 ? s.reason : undefined;
    // The window's end moves only when a sync ends, so figures do not shift under the reader; but
    // once any data exists (a first sync half done, a recompute running) it is shown at once.
    if (this.sync && (!this.#dataEnd || (!this.running && this.#wasRunning))) this.#dataEnd = this.sync.dataEnd ?? this.#dataEnd;
    if (this.sync?.lastSync && (!this.#seen || !this.running)) this.#syncedBefore = true;
    this.#seen ||= !!this.sync;
    this.#wasRunning = this.running;
    this.loaded = true;
    this.#schedule();
  }

  /** After a login: the session cookie is set, so read everything again. */
  async loggedIn(me: AuthMe): Promise<void> {
    this.auth = me;
    const fresh = await api.get<AuthMe>('/auth/me').catch(() => me);
    this.auth = fresh;
    setCsrfToken(fresh.csrfToken);
    await this.refresh();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.running) this.#timer = setTimeout(() => void this.refresh(), 700);
  }
}

export const status = new AppStatus();
