import { readFileSync } from 'node:fs';
import type { Db } from '../server/db/connect.ts';
import type { ApiBudget } from '../server/deps.ts';

// Each job worker's heartbeat row (migration 0014): what a serving process that runs no jobs
// knows of them. A worker writes its row every HEARTBEAT_MS; one silent for STALE_AFTER_MS is gone.

export const HEARTBEAT_MS = 10_000;
/** Three missed heartbeats: a worker busy with a long write still beats in time. */
export const STALE_AFTER_MS = 3 * HEARTBEAT_MS;

export type OrgBudget = { org: string; limits: ApiBudget[] };

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Writes (or renews) this worker's row. */
export async function recordHeartbeat(db: Db, w: { id: string; startedAt: string; budget: OrgBudget[]; nextSyncAt: string | null }): Promise<void> {
  const now = new Date().toISOString();
  const row = { id: w.id, version, started_at: w.startedAt, heartbeat_at: now, budget: JSON.stringify(w.budget), next_sync_at: w.nextSyncAt };
  await db
    .insertInto('workers')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: now, budget: row.budget, next_sync_at: row.next_sync_at }))
    .execute();
  // Rows of workers gone for a day (killed, never stopped) would otherwise pile up.
  await db.deleteFrom('workers').where('heartbeat_at', '<', new Date(Date.now() - 86_400_000).toISOString()).execute();
}

/** A worker that stopped cleanly leaves no row behind. */
export async function removeWorker(db: Db, id: string): Promise<void> {
  await db.deleteFrom('workers').where('id', '=', id).execute();
}

export interface WorkersView {
  /** Workers whose heartbeat is fresh. */
  running: number;
  /** The newest heartbeat of any worker, even a gone one (ISO), or null when none ever ran here. */
  lastHeartbeatAt: string | null;
  /** Budget per org from the live workers, the freshest report of each org first. */
  budget: OrgBudget[];
  /** The earliest re-sync a live worker's scheduler will enqueue. */
  nextSyncAt: string | null;
}

export async function readWorkers(db: Db, now = Date.now()): Promise<WorkersView> {
  const rows = await db.selectFrom('workers').selectAll().orderBy('heartbeat_at', 'desc').execute();
  const live = rows.filter((r) => now - Date.parse(r.heartbeat_at) <= STALE_AFTER_MS);
  const budget = new Map<string, ApiBudget[]>();
  for (const r of live) for (const b of parseBudget(r.budget)) if (!budget.has(b.org)) budget.set(b.org, b.limits);
  const next = live.map((r) => r.next_sync_at).filter((t): t is string => t !== null).sort()[0] ?? null;
  return { running: live.length, lastHeartbeatAt: rows[0]?.heartbeat_at ?? null, budget: [...budget].map(([org, limits]) => ({ org, limits })), nextSyncAt: next };
}

function parseBudget(text: string): OrgBudget[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as OrgBudget[]).filter((b) => typeof b?.org === 'string' && Array.isArray(b.limits)) : [];
  } catch {
    return [];
  }
}

/** What GET /api/sync says of the workers: how many run, and a line when none does, so queued jobs are not taken for a stuck sync. */
export async function workersStatus(db: Db, now = Date.now()): Promise<{ running: number; lastHeartbeatAt: string | null; message: string | null }> {
  const { running, lastHeartbeatAt } = await readWorkers(db, now);
  const message =
    running > 0
      ? null
      : `No worker is running${lastHeartbeatAt ? ` (the last one was heard from at ${lastHeartbeatAt})` : ''}: sync jobs wait until one starts. Run guidepost worker, or guidepost serve without --no-jobs.`;
  return { running, lastHeartbeatAt, message };
}
