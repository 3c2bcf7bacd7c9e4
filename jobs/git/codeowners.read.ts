// The CODEOWNERS file in force at one revision (codeowners.ts: .github/, root, docs/, first
// found). The trees say which exist; only that one blob is read, which a blob:none partial
// clone fetches on demand from its promisor remote.
import { runGit, type GitOptions } from './git.exec.ts';
import { CODEOWNERS_PATHS, codeownersPath } from './codeowners.ts';

export interface CodeownersFile {
  path: string;
  text: string;
}

/** GitHub ignores a CODEOWNERS file over 3 MB. */
const MAX_BYTES = 3 * 1024 * 1024;

export async function readCodeowners(gitDir: string, sha: string, opts: Pick<GitOptions, 'env'> = {}): Promise<CodeownersFile | null> {
  const listed = await runGit(['ls-tree', '-r', '-z', '--name-only', sha, '--', ...CODEOWNERS_PATHS], { cwd: gitDir, ...opts });
  const path = codeownersPath(listed.split('\0').filter(Boolean));
  if (!path) return null;
  const text = await runGit(['cat-file', 'blob', `${sha}:${path}`], { cwd: gitDir, ...opts });
  return { path, text: Buffer.byteLength(text) > MAX_BYTES ? '' : text };
}
