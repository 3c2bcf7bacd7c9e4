// The files at one revision, its `.gitattributes` files and its root `.mailmap`, from trees only
// (a blob:none partial clone has every tree; reading one of those blobs fetches just that blob).
import { runGit, type GitOptions } from './git.exec.ts';
import type { AttributesFile } from './linguist.ts';

export interface Tree {
  files: string[];
  attributes: AttributesFile[];
  /** The root `.mailmap` at the revision, or null when it has none. */
  mailmap: string | null;
}

export async function readTree(gitDir: string, sha: string, opts: Pick<GitOptions, 'env'> = {}): Promise<Tree> {
  const out = await runGit(['ls-tree', '-r', '-z', '--name-only', sha], { cwd: gitDir, ...opts });
  const files = out.split('\0').filter((p) => p.length > 0);
  const attributes: AttributesFile[] = [];
  for (const p of files) {
    if (p !== '.gitattributes' && !p.endsWith('/.gitattributes')) continue;
    const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    attributes.push({ dir, text: await runGit(['cat-file', 'blob', `${sha}:${p}`], { cwd: gitDir, ...opts }) });
  }
  const mailmap = files.includes('.mailmap') ? await runGit(['cat-file', 'blob', `${sha}:.mailmap`], { cwd: gitDir, ...opts }) : null;
  return { files, attributes, mailmap };
}
