// A partial bare clone per repository under the data directory (`--filter=blob:none`: commits
// and trees only, which is all `git log --name-status` needs), refreshed with `git fetch`.
// The token travels as an http.extraHeader set through GIT_CONFIG_* environment variables, so
// it is never part of a URL, a remote's config, a log line or an error message.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../server/errors.ts';
import { redactSecrets } from '../../server/logger.ts';
import { GitError, firstLine, runGit, type GitTimeouts } from './git.exec.ts';

export interface CloneTarget {
  owner: string;
  name: string;
  cloneUrl: string;
  token?: string | null;
  dataDir: string;
  /** Limits of the clone or fetch (defaults: 30 minutes in all, 30 s of a silent server). */
  timeouts?: GitTimeouts;
}

// A big repository over a slow link takes minutes to clone; a stalled one is caught much sooner
// by the low-speed check, so the total is only the last resort.
const TRANSFER_TIMEOUT_MS = 30 * 60_000;

export function repoGitDir(dataDir: string, owner: string, name: string): string {
  return join(dataDir, 'repos', safe(owner), `${safe(name)}.git`);
}

/**
 * Environment that gives git the token for this one process (nothing is written to disk).
 * GitHub's git server takes Basic auth with the token as password (user `x-access-token`, as
 * actions/checkout sends it; it works for personal access and App installation tokens), and
 * answers a Bearer header by asking for a username.
 */
export function authEnv(token: string | null | undefined): Record<string, string> {
  if (!token) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
}

/** Clones on first use, fetches afterwards. Returns the bare repository's folder. */
export async function cloneOrFetch(t: CloneTarget): Promise<{ gitDir: string; cloned: boolean }> {
  const gitDir = repoGitDir(t.dataDir, t.owner, t.name);
  const env = authEnv(t.token);
  const url = stripCredentials(t.cloneUrl);
  const limits = { env, timeoutMs: t.timeouts?.totalMs ?? TRANSFER_TIMEOUT_MS, lowSpeedSeconds: t.timeouts?.lowSpeedSeconds };
  const cloning = !existsSync(join(gitDir, 'HEAD'));
  try {
    if (cloning) {
      mkdirSync(dirname(gitDir), { recursive: true });
      await runGit(['clone', '--bare', '--quiet', '--filter=blob:none', '--', url, gitDir], limits);
      return { gitDir, cloned: true };
    }
    // A bare clone has no fetch refspec: name it, so branches move (and vanish) with the remote.
    // Fetch from `origin`: a partial clone's promisor remote, whose blob:none filter git reuses.
    await runGit(['remote', 'set-url', 'origin', url], { cwd: gitDir });
    await runGit(['fetch', '--quiet', '--prune', 'origin', '+refs/heads/*:refs/heads/*'], { cwd: gitDir, ...limits });
    return { gitDir, cloned: false };
  } catch (err) {
    // git removes a failed clone itself, but not one killed at its time limit: a HEAD left
    // behind would make the next try fetch into a half-made repository.
    if (cloning) rmSync(gitDir, { recursive: true, force: true });
    if (err instanceof GitError) {
      const why = redactSecrets(err.timedOutMs !== null ? err.message : firstLine(err.stderr)).split(t.token || '\u0000').join('[redacted]');
      throw new AppError('github_unreachable', `Could not ${cloning ? 'clone' : 'fetch'} ${t.owner}/${t.name}: ${why || 'git failed'}`, { cause: err });
    }
    throw err;
  }
}

// A URL with user:password@ would be stored in the clone's config; credentials go by header only.
function stripCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url; // a local path (tests, mirrors)
  }
}

function safe(part: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(part) || part === '.' || part === '..') throw new AppError('bad_request', `"${part}" is not a valid GitHub owner or repository name.`);
  return part;
}
