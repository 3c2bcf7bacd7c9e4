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
    // Everything in parallel: the first screen waits for the slowest of these, not their sum.
    const first = !this.auth;
    const wantPeople = !this.running && (!this.#lastActivity || this.#wasRunning);
    const [me, c, s, r, p] = await Promise.allSettled([
      first ? api.get<AuthMe>('/auth/me') : Promise.resolve(this.auth!),
      api.get<ConnectionsResponse>('/connections'),
      api.get<SyncStatus>('/sync'),
      api.get<ReposList>('/repos'),
      wantPeople ? this.#people() : Promise.resolve(undefined),
    ]);
    if (first) {
      this.auth = me.status === 'fulfilled' ? me.value : { user: null, authRequired: false, setupNeeded: false };
      setCsrfToken(this.auth.csrfToken);
    }
    if (this.needsLogin) {
      this.loaded = true;
      return;
    }
    this.connections = c.status === 'fulfilled' ? c.value : { connections: [] };
    this.sync = s.status === 'fulfilled' ? s.value : undefined;
    this.error = c.status === 'rejected' && c.reason instanceof ApiError && c.reason.status !== 404 ? c.reason : undefined;
    const repos = r.status === 'fulfilled' ? r.value.repos : [];
    this.repos = repos.length;
    this.#dataOrg = repos[0]?.name.split('/')[0] ?? '';
    if (p.status === 'fulfilled' && p.value !== undefined) this.#lastActivity = p.value;
    else if (!this.running && repos.length && (!this.#lastActivity || this.#wasRunning)) this.#lastActivity = await this.#people();
    this.#wasRunning = this.running;
    this.loaded = true;
    this.#schedule();
  }

  /** Where the synced history ends: the latest activity of anyone. The demo's history stops at a fixed date, months before today. */
  async #people(): Promise<string | null> {
    const people = await api.get<PeopleList>('/people', { from: '1970-01-01' }).catch(() => undefined);
    return people?.people.reduce<string | null>((max, x) => (x.lastActivityAt && (!max || x.lastActivityAt > max) ? x.lastActivityAt : max), null) ?? null;
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
