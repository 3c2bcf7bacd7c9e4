import type { Migration } from 'kysely';
import * as m0001 from './0001_init.ts';

// Every migration, in order. A new migration is a new file here and a new line below.
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
};
