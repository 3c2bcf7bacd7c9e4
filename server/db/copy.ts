import SQLite from 'better-sqlite3';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { AppError } from '../errors.ts';

// guidepost migrate-db: a SQLite database copied, as stored, into a PostgreSQL one at the same
// migration. The source is only read (one read transaction, so a server writing meanwhile cannot
// tear the copy); the target is written in one transaction, so a failure leaves it empty.

/** PostgreSQL binds at most 65,535 parameters per statement. */
const MAX_PARAMS = 65_535;
const BATCH_ROWS = 2_000;
/** Blobs (raw answers, week packs) make rows large: a batch is cut at this many bytes too. */
const BATCH_BYTES = 8 * 1024 * 1024;

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface CopyProgress {
  /** A table is about to be copied. */
  onTable?(table: string, rows: number): void;
  /** `done` of `total` rows of `table` are written (called after each batch). */
  onRows?(table: string, done: number, total: number): void;
}

/**
 * Opens the SQLite file for reading only: nothing this connection does can change its bytes
 * (in WAL mode SQLite may still make the -wal and -shm files beside it, which any later opener uses).
 */
export function openSourceDatabase(path: string): SQLite.Database {
  try {
    const source = new SQLite(path, { readonly: true, fileMustExist: true });
    source.pragma('busy_timeout = 5000');
    source.prepare('select count(*) from sqlite_master').get();
    return source;
  } catch (err) {
    throw new AppError('bad_request', `${path} is not a SQLite database Guidepost can read (${err instanceof Error ? err.message : String(err)}). Nothing was changed.`);
  }
}

/**
 * Throws unless the source ran exactly this code's migrations: a newer schema would be misread,
 * and an older one would need migrating, which migrate-db never does to its source.
 */
export function checkSourceSchema(source: SQLite.Database, shownAs: string): void {
  if (!source.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get()) {
    throw new AppError('bad_request', `${shownAs} is not a Guidepost database (it has no kysely_migration table). Nothing was changed.`);
  }
  const applied = (source.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
  const unknown = applied.filter((n) => !(n in migrations));
  if (unknown.length) {
    throw new AppError(
      'conflict',
      `${shownAs} was migrated by a newer Guidepost (migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} unknown to this version). Upgrade Guidepost to copy it; nothing was changed.`,
    );
  }
  const missing = Object.keys(migrations).filter((n) => !applied.includes(n));
  if (missing.length) {
    throw new AppError(
      'conflict',
      `${shownAs} was made by an older Guidepost (migration${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not run yet), and migrate-db never writes to its source. ` +
        'Bring it up to date first (run guidepost serve, or guidepost report --db on it, once), or do that on a copy made with guidepost backup and migrate the copy. Nothing was changed.',
    );
  }
}

/** The tables to copy, parents before children (foreign keys are checked row by row on PostgreSQL). */
export function sourceTables(source: SQLite.Database): string[] {
  const names = (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name").all() as { name: string }[]).map((r) => r.name);
  const parents = new Map(names.map((t) => [t, (source.pragma(`foreign_key_list("${t}")`) as { table: string }[]).map((f) => f.table).filter((p) => p !== t && names.includes(p))]));
  const ordered: string[] = [];
  const visit = (t: string, path: string[]) => {
    if (ordered.includes(t) || path.includes(t)) return;
    for (const p of parents.get(t) ?? []) visit(p, [...path, t]);
    ordered.push(t);
  };
  for (const t of names) visit(t, []);
  return ordered;
}

/** Throws when any of `tables` that the target has already holds a row: migrate-db fills an empty database only. */
export async function refuseTargetWithData(db: Kysely<any>, tables: readonly string[], shownAs: string): Promise<void> {
  const existing = new Set((await db.introspection.getTables()).map((t) => t.name));
  const filled: string[] = [];
  for (const t of tables.filter((t) => existing.has(t))) {
    if (await sql`select 1 from ${sql.table(t)} limit 1`.execute(db).then((r) => r.rows.length > 0)) filled.push(t);
  }
  if (filled.length === 0) return;
  const shown = filled.length > 5 ? `${filled.slice(0, 5).join(', ')} and ${filled.length - 5} more` : filled.join(', ');
  throw new AppError('conflict', `The target ${shownAs} already holds Guidepost data (rows in ${shown}). migrate-db copies into an empty database only: create a new one (createdb) and pass it to --to. Nothing was changed.`);
}

interface TargetColumn {
  name: string;
  type: string;
  identity: boolean;
}

/**
 * Copies every table of `source` into `db` (PostgreSQL, migrated to the same schema, empty) in
 * one transaction, moves each identity past the highest id copied, and compares row counts
 * before committing: on any failure or difference nothing is kept. Returns the counts.
 */
export async function copyDatabase(db: Kysely<any>, source: SQLite.Database, progress: CopyProgress = {}): Promise<TableCount[]> {
  const tables = sourceTables(source);
  const targetColumns = await columnsOf(db);
  source.exec('begin'); // one snapshot of the source for the copy and its counts
  try {
    const sourceCounts = new Map(tables.map((t) => [t, Number((source.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n)]));
    return await db.transaction().execute(async (trx) => {
      for (const table of tables) {
        const columns = targetColumns.get(table);
        if (!columns) throw new AppError('internal', `The target has no table ${table}, which the source has. Nothing was kept.`);
        progress.onTable?.(table, sourceCounts.get(table)!);
        try {
          await copyTable(trx, source, table, columns, (done) => progress.onRows?.(table, done, sourceCounts.get(table)!));
        } catch (err) {
          if (err instanceof AppError) throw err;
          throw new AppError('internal', `Copying ${table} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}. Nothing was kept in the target.`, { cause: err });
        }
      }
      await moveIdentities(trx, source, tables, targetColumns);
      const counts: TableCount[] = [];
      for (const table of tables) {
        const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(trx);
        counts.push({ table, source: sourceCounts.get(table)!, target: Number(r.rows[0]!.n) });
      }
      const differ = counts.filter((c) => c.source !== c.target);
      if (differ.length) {
        throw new AppError('internal', `Row counts differ after the copy (${differ.map((c) => `${c.table}: ${c.source} in SQLite, ${c.target} in PostgreSQL`).join('; ')}). Nothing was kept in the target.`);
      }
      return counts;
    });
  } finally {
    source.exec('commit');
  }
}

async function columnsOf(db: Kysely<any>): Promise<Map<string, TargetColumn[]>> {
  const r = await sql<{ table_name: string; column_name: string; data_type: string; is_identity: string }>`select table_name, column_name, data_type, is_identity
    from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
  const out = new Map<string, TargetColumn[]>();
  for (const c of r.rows) out.set(c.table_name, [...(out.get(c.table_name) ?? []), { name: c.column_name, type: c.data_type, identity: c.is_identity === 'YES' }]);
  return out;
}

async function copyTable(db: Kysely<any>, source: SQLite.Database, table: string, columns: TargetColumn[], onRows: (done: number) => void): Promise<void> {
  const select = selectList(source, table, columns);
  const rows = source.prepare(`select ${select} from "${table}" order by rowid`).raw(true).safeIntegers(true);
  const convert = columns.map((c) => converterFor(c.type));
  const perBatch = Math.min(BATCH_ROWS, Math.floor(MAX_PARAMS / columns.length));
  const insert = insertText(table, columns);
  let batch: unknown[][] = [];
  let bytes = 0;
  let done = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await db.executeQuery(CompiledQuery.raw(insert(batch.length), batch.flat()));
    done += batch.length;
    batch = [];
    bytes = 0;
    onRows(done);
  };
  for (const row of rows.iterate() as Iterable<unknown[]>) {
    const cells = row.map((v, i) => convert[i]!(v));
    for (const v of cells) if (Buffer.isBuffer(v) || typeof v === 'string') bytes += v.length;
    batch.push(cells);
    if (batch.length >= perBatch || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
}

/**
 * The source's columns in the target's order. PostgreSQL's file_changes has a `rowid` identity
 * standing for SQLite's implicit rowid (the order the knowledge stage replays), filled from it.
 */
function selectList(source: SQLite.Database, table: string, columns: TargetColumn[]): string {
  const have = (source.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
  const extra = have.filter((c) => !columns.some((t) => t.name === c));
  const lacking = columns.filter((c) => !have.includes(c.name) && c.name !== 'rowid');
  if (extra.length || lacking.length) {
    throw new AppError('internal', `${table} has other columns in the source than in the target (${[...extra, ...lacking.map((c) => c.name)].join(', ')}). Nothing was kept.`);
  }
  return columns.map((c) => (have.includes(c.name) ? `"${c.name}"` : 'rowid')).join(', ');
}

/** `insert … values ($1, …), …` for `n` rows; ids are copied, identities included. */
function insertText(table: string, columns: TargetColumn[]): (n: number) => string {
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  return (n) => {
    const tuples: string[] = [];
    for (let r = 0; r < n; r++) tuples.push(`(${columns.map((_, i) => `$${r * columns.length + i + 1}`).join(', ')})`);
    return `insert into "${table}" (${list}) overriding system value values ${tuples.join(', ')}`;
  };
}

/**
 * A SQLite value as the target column takes it: integers are read as BigInt (ids past 2^53 stay
 * exact) and sent as text; blobs as Buffers for bytea; 0/1 for a boolean column.
 */
function converterFor(type: string): (v: unknown) => unknown {
  const text = (v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
  switch (type) {
    case 'bytea':
      return (v) => (v === null || Buffer.isBuffer(v) ? v : Buffer.from(String(text(v))));
    case 'double precision':
    case 'real':
      return (v) => (typeof v === 'bigint' ? Number(v) : v);
    case 'boolean':
      return (v) => (v === null ? null : Number(v) !== 0);
    default:
      return text;
  }
}

/**
 * Copied ids were chosen by SQLite, so each identity is set past the highest one: past the
 * largest id SQLite's AUTOINCREMENT ever handed out (sqlite_sequence), even one since deleted.
 */
async function moveIdentities(db: Kysely<any>, source: SQLite.Database, tables: readonly string[], targetColumns: Map<string, TargetColumn[]>): Promise<void> {
  const hasSequence = source.prepare("select 1 from sqlite_master where type = 'table' and name = 'sqlite_sequence'").get();
  const handedOut = new Map(hasSequence ? (source.prepare('select name, seq from sqlite_sequence').all() as { name: string; seq: number }[]).map((r) => [r.name, Number(r.seq)]) : []);
  for (const table of tables) {
    for (const c of targetColumns.get(table)!.filter((c) => c.identity)) {
      const top = await sql<{ top: number | null }>`select max(${sql.ref(c.name)}) as top from ${sql.table(table)}`.execute(db);
      const highest = Math.max(top.rows[0]?.top ?? 0, handedOut.get(table) ?? 0);
      if (highest > 0) await sql`select setval(pg_get_serial_sequence(${`"${table}"`}, ${c.name}), ${highest})`.execute(db);
    }
  }
}
