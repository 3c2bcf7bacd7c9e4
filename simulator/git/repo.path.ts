// Where a simulated repository lives on disk. Names are checked before they touch a path, so
// neither a repo name nor anything derived from a URL can point outside the repos folder.
import { join, resolve } from 'node:path';

// GitHub allows letters, digits, '.', '-' and '_' (a leading dot too: `.github`).
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** A GitHub-style repository name that is safe as a single path segment. */
export function isRepoName(name: string): boolean {
  return REPO_NAME.test(name) && name !== '.' && name !== '..' && !name.endsWith('.git');
}

export function repoDir(reposRoot: string, name: string): string {
  return join(resolve(reposRoot), `${name}.git`);
}
