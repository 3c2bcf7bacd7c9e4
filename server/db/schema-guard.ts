import type { Kysely } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

// A Guidepost already running when a newer one migrates the same database (a rolling upgrade on
// PostgreSQL, a second binary on the SQLite file) would go on writing with its old idea of the
// tables. The guard notices the migrations it does not know and refuses every write from then on.

/** Migrations applied to the database that this code does not know (a newer Guidepost ran them), sorted. */
export async function unknownMigrations(db: Kysely<any>): Promise<string[]> {
  const applied = (await db.selectFrom('kysely_migration').select('name').execute()).map((r) => String(r.name));
  return applied.filter((n) => !(n in migrations)).sort();
}

/** What both refusals (at start, and while running) begin with. */
export function migratedByNewer(unknown: readonly string[]): string {
  return `This database was migrated by a newer Guidepost (migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} unknown to this version)`;
}

export interface SchemaGuard {
  /** Throws a 'conflict' AppError once the database holds migrations this code does not know. */
  assertCurrent(): Promise<void>;
}

/** How long an answer "the schema is still ours" is trusted: a burst of writes costs one query. */
const TRUST_MS = 2000;

export function createSchemaGuard(db: Kysely<any>, o: { logger?: Logger } = {}): SchemaGuard {
  let checkedAt = -Infinity;
  let checking: Promise<void> | undefined;
  // Once refused, for good: the newer schema does not go away, and no later answer is trusted.
  let refusal: AppError | undefined;

  async function check(): Promise<void> {
    const unknown = await unknownMigrations(db);
    checkedAt = Date.now();
    if (unknown.length === 0) return;
    const what = `${migratedByNewer(unknown)} while this one was running.`;
    refusal = new AppError('conflict', `${what} Restart with the newer version; nothing was written.`);
    o.logger?.error(
      { migrations: unknown },
      `${what} This process now refuses every write: requests that change data get 409 and no more jobs are claimed (jobs already running may finish). Restart it with the newer version.`,
    );
  }

  return {
    async assertCurrent() {
      if (!refusal && Date.now() - checkedAt >= TRUST_MS) {
        // Concurrent callers share one query.
        checking ??= check().finally(() => (checking = undefined));
        await checking;
      }
      if (refusal) throw refusal;
    },
  };
}

const shared = new WeakMap<object, SchemaGuard>();

/**
 * The one guard of a database handle, so the HTTP middleware and the job runner of a process
 * share its query and its refusal, and the log says it once. The first caller's logger writes it.
 */
export function schemaGuardOf(db: Kysely<any>, logger: Logger): SchemaGuard {
  let guard = shared.get(db);
  if (!guard) shared.set(db, (guard = createSchemaGuard(db, { logger })));
  return guard;
}
