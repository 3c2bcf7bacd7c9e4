import { api, ApiError, setCsrfToken } from './api.ts';
import type { AuthMe, ConnectionsResponse, SyncStatus, ReposList, PeopleList } from './types.ts';

/**
 * What the whole dashboard needs to know about the server: is an org connected, is a sync
 * running, and where the synced data ends (the default end of every window). Polls the sync
 * status while a sync runs.
 */
export class AppStatus {
  connections = $state.raw<ConnectionsResponse | undefined>(undefined);
  sync = $state.raw<SyncStatus | undefined>(undefined);
  error = $state.raw<ApiError | undefined>(undefined);
  loaded = $state(false);
  auth = $state.raw<AuthMe | undefined>(undefined);
  /** A login is required and nobody is logged in: only the login page can be shown. */
  needsLogin = $derived(!!this.auth?.authRequired && !this.auth.user);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wasRunning = false;

  /** Repositories with synced data (an org synced from the CLI has data but no connection). */
  repos = $state(0);
  hasOrg = $derived((this.connections?.connections.length ?? 0) > 0 || this.repos > 0);
  #dataOrg = $state('');
  org = $derived(this.connections?.connections[0]?.org ?? this.#dataOrg);
  /** A sync is running or waiting to run. */
  running = $derived(!!this.sync && (this.sync.running || this.sync.queued > 0));
  /** End of the synced data: the demo's history ends at a fixed instant, not today. */
  #lastActivity = $state<string | null>(null);
  /** The first sync of a new connection is still running: there is nothing to show yet. */
  firstSyncPending = $derived(this.hasOrg && this.running && !this.#lastActivity);
  dataEnd = $derived(this.#lastActivity);

  async refresh(): Promise<void> {
    if (!this.auth) {
      try {
        this.auth = await api.get<AuthMe>('/auth/me');
        setCsrfToken(this.auth.csrfToken);
      } catch {
        this.auth = { user: null, authRequired: false, setupNeeded: false };
      }
      if (this.needsLogin) {
        this.loaded = true;
        return;
      }
    }
    const [c, s, r] = await Promise.allSettled([
      api.get<ConnectionsResponse>('/connections'),
      api.get<SyncStatus>('/sync'),
      api.get<ReposList>('/repos'),
    ]);
    const repos = r.status === 'fulfilled' ? r.value.repos : [];
    this.repos = repos.length;
    this.#dataOrg = repos[0]?.name.split('/')[0] ?? '';
    if (repos.length && !this.running && (!this.#lastActivity || this.#wasRunning)) {
      // Where the synced history ends: the latest activity of anyone (the demo's history stops
      // at a fixed date, months before today).
      const people = await api.get<PeopleList>('/people', { from: '1970-01-01' }).catch(() => undefined);
      this.#lastActivity = people?.people.reduce<string | null>((max, p) => (p.lastActivityAt && (!max || p.lastActivityAt > max) ? p.lastActivityAt : max), null) ?? null;
    }
    this.connections = c.status === 'fulfilled' ? c.value : { connections: [] };
    this.sync = s.status === 'fulfilled' ? s.value : undefined;
    this.error = c.status === 'rejected' && c.reason instanceof ApiError && c.reason.status !== 404 ? c.reason : undefined;
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
