import { Migrator, type Kysely } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { AppError } from '../errors.ts';

/** Brings the schema to the newest migration. Each migration runs in its own transaction. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
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
