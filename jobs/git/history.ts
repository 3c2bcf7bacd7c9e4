// Incremental import of a repository's history into `commits` and `file_changes`: only commits
// after the last imported one (sync_state scope `git:<owner>/<name>`, bookmark = its SHA).
// file_changes rows are appended oldest first, so their rowid order is history order, which
// knowledge.job.ts replays. A force-push that drops the bookmark triggers a full re-import.
import { sql } from 'kysely';
import type { Db } from '../../server/db/connect.ts';
import type { Logger } from '../../server/logger.ts';
import { readGitLog, type GitCommit } from './log.parse.ts';
import { loginFromEmail } from './identity.ts';
import { readTree } from './tree.read.ts';
import { runGit, tryGit } from './git.exec.ts';
import { saveMailmap } from './identity.store.ts';

export interface ImportResult {
  head: string | null;
  imported: number;
  full: boolean;
}

const BATCH_COMMITS = 2000;

export function gitScope(owner: string, name: string): string {
  return `git:${owner}/${name}`;
}

/** Imports the history of `ref` in `gitDir` for repo `repoId`; returns how many commits were new. */
export async function importHistory(
  db: Db,
  opts: { repoId: number; owner: string; name: string; gitDir: string; ref: string; env?: Record<string, string>; logger?: Logger },
): Promise<ImportResult> {
  const scope = gitScope(opts.owner, opts.name);
  const head = (await tryGit(['rev-parse', '--verify', '--quiet', `${opts.ref}^{commit}`], { cwd: opts.gitDir }))?.trim() ?? null;
  if (!head) return { head: null, imported: 0, full: false }; // an empty repository: nothing to read yet
  const state = await db.selectFrom('sync_state').select('bookmark').where('scope', '=', scope).executeTakeFirst();
  const last = state?.bookmark ?? null;
  if (last === head) return { head, imported: 0, full: false };

  const incremental = last !== null && (await tryGit(['merge-base', '--is-ancestor', last, head], { cwd: opts.gitDir })) !== null;
  const range = incremental ? `${last}..${head}` : head;
  if (!incremental) {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('file_changes').where('repo_id', '=', opts.repoId).execute();
      await trx.deleteFrom('commits').where('repo_id', '=', opts.repoId).execute();
    });
  }
  // During a full re-import the old bookmark no longer describes what is stored.
  const resumeFrom = incremental ? last : null;
  await setState(db, scope, { status: 'running', bookmark: resumeFrom });

  const personOf = await personMatcher(db);
  let batch: GitCommit[] = [];
  let imported = 0;
  try {
    for await (const commit of readGitLog(opts.gitDir, range, { env: opts.env })) {
      batch.push(commit);
      if (batch.length >= BATCH_COMMITS) {
        imported += await insertBatch(db, opts.repoId, batch, personOf);
        batch = [];
      }
    }
    imported += await insertBatch(db, opts.repoId, batch, personOf);
    await saveHead(db, opts.repoId, opts.gitDir, head, opts.env);
    await setState(db, scope, { status: 'done', bookmark: head, progress: JSON.stringify({ imported }) });
  } catch (err) {
    // Batches already written are whole commits; the next run re-imports from the old bookmark,
    // and INSERT OR IGNORE on commits plus the range keep it from doubling anything.
    await setState(db, scope, { status: 'failed', bookmark: resumeFrom, last_error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  opts.logger?.info({ repo: `${opts.owner}/${opts.name}`, imported, full: !incremental }, 'git history imported');
  return { head, imported, full: !incremental };
}

async function insertBatch(db: Db, repoId: number, commits: GitCommit[], personOf: (email: string) => number | null): Promise<number> {
  if (commits.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    // Skip commits already stored (a re-run after a failure part-way through).
    const known = new Set<string>();
    for (let i = 0; i < commits.length; i += 500) {
      const shas = commits.slice(i, i + 500).map((c) => c.sha);
      const rows = await trx.selectFrom('commits').select('sha').where('repo_id', '=', repoId).where('sha', 'in', shas).execute();
      for (const r of rows) known.add(r.sha);
    }
    const fresh = commits.filter((c) => !known.has(c.sha));
    // SQLite allows 32766 bound parameters per statement: 8 per commit row, 5 per change row.
    for (let i = 0; i < fresh.length; i += 500) {
      await trx
        .insertInto('commits')
        .values(
          fresh.slice(i, i + 500).map((c) => ({
            repo_id: repoId,
            sha: c.sha,
            author_name: c.authorName,
            author_email: c.authorEmail,
            person_id: personOf(c.authorEmail),
            authored_at: c.authoredAt,
            committed_at: c.committedAt,
            parent_count: c.parentCount,
          })),
        )
        .execute();
    }
    let rows: { repo_id: number; sha: string; path: string; status: 'A' | 'M' | 'D' | 'R'; old_path: string | null }[] = [];
    const flush = async () => {
      if (rows.length) await trx.insertInto('file_changes').values(rows).execute();
      rows = [];
    };
    for (const c of fresh) {
      for (const ch of c.changes) {
        rows.push({ repo_id: repoId, sha: c.sha, path: ch.path, status: ch.status, old_path: ch.oldPath });
        if (rows.length >= 6000) await flush();
      }
    }
    await flush();
    return fresh.length;
  });
}

/** Maps a commit e-mail to a person: a GitHub no-reply address naming a login, or an alias. */
async function personMatcher(db: Db): Promise<(email: string) => number | null> {
  const people = await db.selectFrom('people').select(['id', 'login']).execute();
  const byLogin = new Map(people.map((p) => [p.login.toLowerCase(), p.id]));
  const aliases = await db.selectFrom('person_aliases').select(['person_id', 'value']).where('kind', '=', 'email').execute();
  const byEmail = new Map(aliases.map((a) => [a.value.toLowerCase(), a.person_id]));
  return (email) => {
    const e = email.toLowerCase();
    const viaAlias = byEmail.get(e);
    if (viaAlias !== undefined) return viaAlias;
    const login = loginFromEmail(e);
    return login ? (byLogin.get(login) ?? null) : null;
  };
}

async function saveHead(db: Db, repoId: number, gitDir: string, sha: string, env?: Record<string, string>): Promise<void> {
  const tree = await readTree(gitDir, sha, { env });
  const committedAt = new Date(Number((await runGit(['show', '-s', '--format=%ct', sha], { cwd: gitDir })).trim()) * 1000).toISOString();
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('knowledge_heads')
      .values({ repo_id: repoId, sha, committed_at: committedAt, gitattributes: JSON.stringify(tree.attributes), updated_at: now })
      .onConflict((oc) => oc.column('repo_id').doUpdateSet({ sha, committed_at: committedAt, gitattributes: JSON.stringify(tree.attributes), updated_at: now }))
      .execute();
    await trx.deleteFrom('knowledge_head_files').where('repo_id', '=', repoId).execute();
    for (let i = 0; i < tree.files.length; i += 10_000) {
      await trx
        .insertInto('knowledge_head_files')
        .values(tree.files.slice(i, i + 10_000).map((path) => ({ repo_id: repoId, path })))
        .execute();
    }
    // The compute step reads no git: it merges identities by the .mailmap this head holds.
    await saveMailmap(trx, repoId, sha, tree.mailmap);
  });
}

async function setState(db: Db, scope: string, v: { status: 'running' | 'done' | 'failed'; bookmark: string | null; progress?: string; last_error?: string }): Promise<void> {
  const row = { scope, status: v.status, bookmark: v.bookmark, progress: v.progress ?? null, last_error: v.last_error ?? null, updated_at: new Date().toISOString() };
  await db
    .insertInto('sync_state')
    .values(row)
    .onConflict((oc) => oc.column('scope').doUpdateSet({ status: row.status, bookmark: row.bookmark, progress: row.progress, last_error: row.last_error, updated_at: row.updated_at }))
    .execute();
}

/** How many commits of the repo are stored (for progress and tests). */
export async function countCommits(db: Db, repoId: number): Promise<number> {
  const r = await db.selectFrom('commits').select(sql<number>`count(*)`.as('n')).where('repo_id', '=', repoId).executeTakeFirstOrThrow();
  return r.n;
}
