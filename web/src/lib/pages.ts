import type { Component } from 'svelte';
import type { PageName } from './router.svelte.ts';
import Overview from '../pages/Overview.svelte';

// Each page is its own chunk, loaded when first visited, so the overview does not pay for the
// graph and treemap plugins. The overview is the landing page: it ships in the main bundle so
// its first paint waits for no second round of script downloads.
type Loader = () => Promise<{ default: Component }>;
export const pageLoaders: Record<PageName, Loader> = {
  overview: () => Promise.resolve({ default: Overview }),
  mentoring: () => import('../pages/Mentoring.svelte'),
  reviews: () => import('../pages/Reviews.svelte'),
  knowledge: () => import('../pages/Knowledge.svelte'),
  team: () => import('../pages/Team.svelte'),
  repo: () => import('../pages/Repo.svelte'),
  person: () => import('../pages/Person.svelte'),
  brief: () => import('../pages/Brief.svelte'),
  sync: () => import('../pages/SyncStatus.svelte'),
  connections: () => import('../pages/Connections.svelte'),
  settings: () => import('../pages/Settings.svelte'),
  welcome: () => import('../pages/FirstRun.svelte'),
  login: () => import('../pages/Login.svelte'),
  'not-found': () => import('../pages/NotFound.svelte'),
};

export const PAGE_TITLES: Record<PageName, string> = {
  overview: 'Overview',
  mentoring: 'Mentoring',
  reviews: 'Reviews',
  knowledge: 'Knowledge',
  team: 'Team',
  repo: 'Repository',
  person: 'Person',
  brief: 'Brief',
  sync: 'Sync status',
  connections: 'Connections',
  settings: 'Settings',
  welcome: 'Welcome',
  login: 'Log in',
  'not-found': 'Not found',
};
