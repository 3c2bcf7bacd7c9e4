import { createHash, type KeyObject } from 'node:crypto';
import type { OrgIndex } from './org-index.ts';

/** Everything the HTTP handlers read; `index` and `shas` are replaced when the org evolves. */
export interface SimState {
  index: OrgIndex;
  /** repo → commit id → git SHA, from the git builder (or stand-ins when git is off). */
  shas: Map<string, Map<string, string>>;
  /** Set once the server listens, e.g. http://127.0.0.1:4010 (no trailing slash). */
  baseUrl: string;
  token: string;
  /** Lower-cased names of repos the token cannot see (docs/simulator.md, "Access"). */
  hiddenRepos: Set<string>;
  /** The GitHub App installed on the org, when one is configured; its tokens are accepted like `token`. */
  app: SimApp | null;
}

export interface SimApp {
  appId: string;
  installationId: number;
  publicKey: KeyObject;
  /** Installation tokens handed out → when each expires (ms since the epoch). */
  tokens: Map<string, number>;
}

/** False for a repo the token cannot see: GitHub then answers as if it did not exist. */
export function canSee(state: SimState, repo: string): boolean {
  return !state.hiddenRepos.has(repo.toLowerCase());
}

/** The PAT, or an installation token that has not expired. */
export function acceptsToken(state: SimState, token: string | null): boolean {
  if (token === null) return false;
  if (token === state.token) return true;
  const expires = state.app?.tokens.get(token);
  return expires !== undefined && expires > Date.now();
}

/** The SHA of a commit: the real one when git built it, else a stable stand-in of the same shape. */
export function shaOf(state: SimState, repo: string, commitId: string): string {
  return state.shas.get(repo)?.get(commitId) ?? fakeSha(`${state.index.org.org.login}/${repo}/${commitId}`);
}

// Stand-ins are asked for on every page that shows a commit; one hash per key is enough.
const standIns = new Map<string, string>();

export function fakeSha(key: string): string {
  let sha = standIns.get(key);
  if (sha === undefined) {
    sha = createHash('sha1').update(key).digest('hex');
    standIns.set(key, sha);
  }
  return sha;
}
