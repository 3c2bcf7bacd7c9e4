import type { Db } from '../db/connect.ts';
import { writeSettingRow } from '../settings.ts';

// The dashboard shows one organisation at a time: the shown org. A database may hold several
// (the demo kept beside a real org, an org synced from the CLI before one was connected); the
// derive stage then reads only the shown org's repositories, so every figure is that org's. With
// one org's data there is nothing to choose and nothing is filtered.

const KEY = 'shown_org';

/** Orgs with a connection or synced repositories, connections first (in the order they were made). */
export async function knownOrgs(db: Db): Promise<string[]> {
  const connected = (await db.selectFrom('connections').select('org').orderBy('id').execute()).map((r) => r.org);
  const owners = (await db.selectFrom('repos').select('owner').distinct().orderBy('owner').execute()).map((r) => r.owner);
  return [...new Set([...connected, ...owners])];
}

/** The org the dashboard shows: the one chosen last, else the first connected, else the first with data; null when there is none. */
export async function shownOrg(db: Db): Promise<string | null> {
  const known = await knownOrgs(db);
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const chosen = row ? (JSON.parse(row.value) as { org?: string }).org : undefined;
  return known.find((o) => o.toLowerCase() === chosen?.toLowerCase()) ?? known[0] ?? null;
}

/** Makes `org` the shown org (the caller re-derives the signals for it). */
export async function setShownOrg(db: Db, org: string): Promise<void> {
  await writeSettingRow(db, KEY, { org });
}

export interface OrgScope {
  org: string;
  repoIds: number[];
}

/** What the derive reads: the shown org's repositories when the database holds more than one org's; null = everything. */
export async function derivedScope(db: Db): Promise<OrgScope | null> {
  const owners = await db.selectFrom('repos').select('owner').distinct().execute();
  if (owners.length <= 1) return null;
  const org = await shownOrg(db);
  if (!org) return null;
  const repos = await db.selectFrom('repos').select('id').where('owner', '=', org).execute();
  return { org, repoIds: repos.map((r) => r.id) };
}
