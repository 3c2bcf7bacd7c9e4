import { spawn, type ChildProcess } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { createRng } from '../simulator/generate/random.ts';

/** A seeded stream (the simulator's mulberry32), so kill points reproduce from the seed. */
export function seeded(seed: number): () => number {
  return createRng(seed).next;
}

export interface SyncTarget {
  url: string;
  token: string;
  org: string;
  since: string;
}

/** `guidepost sync` as a child process, the way an operator runs it. */
export function spawnSync(target: SyncTarget, dbPath: string): ChildProcess {
  return spawn(
    process.execPath,
    ['bin/guidepost.js', 'sync', '--org', target.org, '--api-url', target.url, '--since', target.since, '--db', dbPath, '--no-knowledge', '--concurrency', '4'],
    { env: { ...process.env, GITHUB_TOKEN: target.token, GUIDEPOST_LOG_LEVEL: 'debug' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

/** Runs a sync to the end and returns what it wrote to stderr; throws with it when the sync fails. */
export async function syncToEnd(target: SyncTarget, dbPath: string): Promise<string> {
  const r = await exitOf(spawnSync(target, dbPath));
  if (r.code !== 0) throw new Error(`sync failed (${r.code ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return r.stderr;
}

// People and teams get local ids in the order they are first met, which differs after a crash;
// rows are compared by what they mean (logins, slugs, GitHub ids), not by local ids.
const PERSON_REFS = ['author_id', 'reviewer_id', 'merged_by_id', 'person_id'];
const DOMAIN_TABLES = ['repos', 'people', 'person_aliases', 'teams', 'team_members', 'pull_requests', 'review_requests', 'reviews', 'review_comments', 'issue_comments', 'commits', 'file_changes'];

/**
 * The domain tables (the public data model) as sorted, id-free rows. Two syncs of the same org
 * agree on this exactly, whatever happened on the way.
 */
export function canonicalDump(dbPath: string, apiUrl?: string): Record<string, string[]> {
  const db = new SQLite(dbPath, { readonly: true });
  try {
    const logins = new Map((db.prepare('select id, login from people').all() as { id: number; login: string }[]).map((p) => [p.id, p.login]));
    const slugs = new Map((db.prepare('select id, slug from teams').all() as { id: number; slug: string }[]).map((t) => [t.id, t.slug]));
    const out: Record<string, string[]> = {};
    for (const table of DOMAIN_TABLES) {
      const rows = db.prepare(`select * from ${table}`).all() as Record<string, unknown>[];
      out[table] = rows
        .map((row) => {
          const r: Record<string, unknown> = { ...row };
          delete r.raw_id;
          if (table === 'people' || table === 'teams' || table === 'review_requests') delete r.id;
          for (const k of PERSON_REFS) if (k in r && r[k] !== null) r[k] = logins.get(r[k] as number) ?? `?${String(r[k])}`;
          if ('team_id' in r && r.team_id !== null) r.team_id = slugs.get(r.team_id as number) ?? `?${String(r.team_id)}`;
          const line = JSON.stringify(r, Object.keys(r).sort());
          // Two simulators on different ports serve the same org; URLs name the port.
          return apiUrl ? line.split(apiUrl).join('<api>') : line;
        })
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}

/** Row counts per table, for a readable failure message before the full comparison. */
export function counts(dump: Record<string, string[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(dump).map(([k, v]) => [k, v.length]));
}
