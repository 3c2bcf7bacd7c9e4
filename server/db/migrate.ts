import { Migrator, type Kysely } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { AppError } from '../errors.ts';
import { migratedByNewer, unknownMigrations } from './schema-guard.ts';

/**
 * Brings the schema to the newest migration, on SQLite or PostgreSQL. Each migration runs in its
 * own transaction. A database a newer Guidepost has migrated (migrations this code does not
 * know) is refused before anything runs: this code would misread, or overwrite, its tables.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  await refuseNewerSchema(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new AppError(
      'internal',
      `Database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

async function refuseNewerSchema(db: Kysely<any>): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === 'kysely_migration' && !t.isView)) return;
  const unknown = await unknownMigrations(db);
  if (unknown.length === 0) return;
  throw new AppError('conflict', `${migratedByNewer(unknown)}. Upgrade Guidepost to use it; nothing was changed.`);
}
