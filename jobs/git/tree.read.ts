// The files at one revision and its `.gitattributes` files, from trees only (a blob:none partial
// clone has every tree; reading a .gitattributes blob fetches just that one blob on demand).
import { runGit, type GitOptions } from './git.exec.ts';
import type { AttributesFile } from './linguist.ts';

export interface Tree {
  files: string[];
  attributes: AttributesFile[];
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
  return { files, attributes };
}
