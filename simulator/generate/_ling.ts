import { generateOrg } from './index.ts';
import { classifyFiles } from '../../jobs/git/linguist.ts';
import { isCodeFile } from './doa.ts';
const org = generateOrg({ seed: Number(process.argv[3] ?? 1), scale: (process.argv[2] ?? 'small') as 'small' });
for (const repo of org.repos) {
  const files = new Set<string>();
  for (const c of repo.commits) for (const ch of c.changes) { if (ch.kind === 'delete') files.delete(ch.path); else { if (ch.from) files.delete(ch.from); files.add(ch.path); } }
  const res: any = await classifyFiles([...files], []);
  const code = new Set<string>(res.code ?? res);
  const diff = [...files].filter((f) => code.has(f) !== isCodeFile(f));
  console.log(repo.name, files.size, 'diffs', JSON.stringify(diff.slice(0, 12)), '');
}
