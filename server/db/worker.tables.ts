import type { Insertable, Selectable } from 'kysely';

// Tables of migration 0014: the job workers running, each with its heartbeat.

export interface WorkersTable {
  /** The job runner's worker id (host:pid:random). */
  id: string;
  version: string;
  started_at: string;
  /** ISO; a worker whose heartbeat is older than a few intervals is taken for gone. */
  heartbeat_at: string;
  /** JSON of `{ org, limits: ApiBudget[] }[]`, as the worker's API clients last saw it. */
  budget: string;
  next_sync_at: string | null;
}

export interface WorkerTables {
  workers: WorkersTable;
}

export type WorkerRow = Selectable<WorkersTable>;
export type NewWorkerRow = Insertable<WorkersTable>;
