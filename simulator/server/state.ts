import { createHash } from 'node:crypto';
import type { OrgIndex } from './org-index.ts';

/** Everything the HTTP handlers read; `index` and `shas` are replaced when the org evolves. */
export interface SimState {
  index: OrgIndex;
  /** repo → commit id → git SHA, from the git builder (or stand-ins when git is off). */
  shas: Map<string, Map<string, string>>;
  /** Set once the server listens, e.g. http://127.0.0.1:4010 (no trailing slash). */
  baseUrl: string;
  token: string;
}

/** The SHA of a commit: the real one when git built it, else a stable stand-in of the same shape. */
export function shaOf(state: SimState, repo: string, commitId: string): string {
  return state.shas.get(repo)?.get(commitId) ?? fakeSha(`${state.index.org.org.login}/${repo}/${commitId}`);
}

export function fakeSha(key: string): string {
  return createHash('sha1').update(key).digest('hex');
}
