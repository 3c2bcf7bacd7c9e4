// A partial bare clone per repository under the data directory (`--filter=blob:none`: commits
// and trees only, which is all `git log --name-status` needs), refreshed with `git fetch`.
// The token travels as an http.extraHeader set through GIT_CONFIG_* environment variables, so
// it is never part of a URL, a remote's config, a log line or an error message.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../server/errors.ts';
import { redactSecrets } from '../../server/logger.ts';
import { GitError, firstLine, runGit } from './git.exec.ts';

export interface CloneTarget {
  owner: string;
  name: string;
  cloneUrl: string;
  token?: string | null;
  dataDir: string;
}

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
  try {
    if (!existsSync(join(gitDir, 'HEAD'))) {
      mkdirSync(dirname(gitDir), { recursive: true });
      await runGit(['clone', '--bare', '--quiet', '--filter=blob:none', '--', url, gitDir], { env, timeoutMs: 30 * 60_000 });
      return { gitDir, cloned: true };
    }
    // A bare clone has no fetch refspec: name it, so branches move (and vanish) with the remote.
    // Fetch from `origin`: a partial clone's promisor remote, whose blob:none filter git reuses.
    await runGit(['remote', 'set-url', 'origin', url], { cwd: gitDir });
    await runGit(['fetch', '--quiet', '--prune', 'origin', '+refs/heads/*:refs/heads/*'], { cwd: gitDir, env, timeoutMs: 30 * 60_000 });
    return { gitDir, cloned: false };
  } catch (err) {
    if (err instanceof GitError) {
      const why = redactSecrets(firstLine(err.stderr)).split(t.token || '\u0000').join('[redacted]');
      throw new AppError('github_unreachable', `Could not ${existsSync(join(gitDir, 'HEAD')) ? 'fetch' : 'clone'} ${t.owner}/${t.name}: ${why || 'git failed'}`);
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
