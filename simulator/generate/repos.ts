// Repositories and their initial file trees: leaf code directories plus the usual non-code
// (docs, vendored code, lock files, config, generated sources), imported by the founders.
import type { SimRepo } from '../model.ts';
import type { IdAllocator } from './ids.ts';
import { nodeId } from './ids.ts';
import type { Rng } from './random.ts';

export type Lang = 'ts' | 'go' | 'py';

export interface RepoPlan {
  repo: SimRepo;
  lang: Lang;
  /** Leaf code directories open to everybody's work. */
  codeDirs: string[];
  /** Directories only planted work may touch (islands, departed owners' code). */
  reserved: Set<string>;
  /** Files at import: path → lines, and (for reserved dirs) who must create them. */
  importFiles: { path: string; lines: number; owner: string | null }[];
  docsDir: string;
  configDir: string;
  vendorDir: string;
  genDir: string;
  lockFile: string;
  manifest: string;
}

const NAMES = [
  'api-gateway', 'billing-service', 'web-app', 'data-pipeline', 'auth-service', 'search', 'notifications', 'mobile-app',
  'infra-tools', 'design-system', 'ledger', 'reporting', 'scheduler', 'catalog', 'checkout', 'analytics', 'webhooks',
  'admin-console', 'identity', 'storage', 'exporter', 'pricing', 'inventory', 'messaging',
];
// Linguist treats some directory names as vendored (e.g. `cache/`, `tmp/`); none is used here.
const DIR_NAMES = [
  'api', 'handlers', 'db', 'jobs', 'auth', 'billing', 'invoices', 'search', 'notifications', 'metrics', 'queue',
  'storage', 'users', 'sessions', 'webhooks', 'reports', 'export', 'importer', 'scheduler', 'payments', 'ledger', 'caching',
  'pricing', 'catalog', 'middleware', 'validation', 'mailer', 'audit', 'tenants', 'flags',
];
const FILE_STEMS = [
  'index', 'handlers', 'routes', 'client', 'schema', 'types', 'util', 'service', 'repository', 'validator', 'mapper',
  'errors', 'config', 'worker', 'model', 'cache', 'metrics', 'middleware', 'queries', 'format', 'retry', 'limits',
];
const LANGS: Lang[] = ['ts', 'ts', 'go', 'py'];

export function planRepos(rng: Rng, ids: IdAllocator, count: number, dirsRange: [number, number], createdAt: (i: number) => string): RepoPlan[] {
  const plans: RepoPlan[] = [];
  for (let i = 0; i < count; i++) {
    const base = NAMES[i % NAMES.length] as string;
    const name = i < NAMES.length ? base : `${base}-${Math.floor(i / NAMES.length) + 1}`;
    const lang = LANGS[i % LANGS.length] as Lang;
    const id = ids.next('repo', rng.int(1, 40_000));
    const repo: SimRepo = {
      id, nodeId: nodeId('repo', id), name,
      description: `${name.replace(/-/g, ' ')} (${lang === 'ts' ? 'TypeScript' : lang === 'go' ? 'Go' : 'Python'})`,
      defaultBranch: 'main', createdAt: createdAt(i), isPrivate: rng.chance(0.7), isArchived: false, commits: [],
    };
    const plan = layout(rng, repo, lang, rng.int(dirsRange[0], dirsRange[1]));
    plans.push(plan);
  }
  return plans;
}

function codeRoot(lang: Lang, rng: Rng): string {
  if (lang === 'go') return rng.pick(['internal', 'pkg']);
  if (lang === 'py') return rng.pick(['app', 'app/services']);
  return rng.pick(['src', 'src/features', 'services']);
}

export function ext(lang: Lang): string {
  return lang;
}

function layout(rng: Rng, repo: SimRepo, lang: Lang, nDirs: number): RepoPlan {
  const files: RepoPlan['importFiles'] = [];
  const codeDirs: string[] = [];
  const names = rng.shuffle([...DIR_NAMES]);
  for (let d = 0; d < nDirs; d++) {
    const dir = `${codeRoot(lang, rng)}/${names[d % names.length]}${d >= names.length ? d : ''}`;
    if (codeDirs.includes(dir)) continue;
    codeDirs.push(dir);
    addCodeFiles(rng, files, dir, lang, rng.int(3, 8), null);
  }
  const testDir = lang === 'go' ? 'internal/testutil' : 'test';
  codeDirs.push(testDir);
  addCodeFiles(rng, files, testDir, lang, rng.int(3, 6), null);
  const docsDir = 'docs';
  for (const f of ['README.md', 'architecture.md', 'runbook.md', 'api.md']) files.push({ path: `${docsDir}/${f}`, lines: rng.int(20, 300), owner: null });
  files.push({ path: 'README.md', lines: rng.int(30, 120), owner: null });
  files.push({ path: 'CHANGELOG.md', lines: rng.int(10, 80), owner: null });
  const configDir = 'config';
  for (const f of ['default.json', 'production.yml', 'test.yml']) files.push({ path: `${configDir}/${f}`, lines: rng.int(10, 80), owner: null });
  let vendorDir: string, genDir: string, lockFile: string, manifest: string;
  if (lang === 'go') {
    vendorDir = 'vendor/github.com/pkg/errors';
    for (const f of ['errors.go', 'stack.go', 'go113.go']) files.push({ path: `${vendorDir}/${f}`, lines: rng.int(60, 300), owner: null });
    genDir = 'internal/gen';
    files.push({ path: `${genDir}/schema.pb.go`, lines: rng.int(800, 3000), owner: null });
    lockFile = 'go.sum';
    manifest = 'go.mod';
  } else if (lang === 'py') {
    vendorDir = 'vendor/lib';
    for (const f of ['six.py', 'backports.py', 'x.js']) files.push({ path: `${vendorDir}/${f}`, lines: rng.int(60, 300), owner: null });
    genDir = 'app/gen';
    files.push({ path: `${genDir}/models_pb2.py`, lines: rng.int(800, 3000), owner: null });
    lockFile = 'poetry.lock';
    manifest = 'pyproject.toml';
  } else {
    vendorDir = 'vendor/lib';
    for (const f of ['x.js', 'polyfill.min.js', 'chart.umd.js']) files.push({ path: `${vendorDir}/${f}`, lines: rng.int(60, 300), owner: null });
    genDir = 'src/__generated__';
    files.push({ path: `${genDir}/schema.generated.ts`, lines: rng.int(800, 3000), owner: null });
    files.push({ path: `${genDir}/client.generated.ts`, lines: rng.int(400, 1500), owner: null });
    lockFile = 'package-lock.json';
    manifest = 'package.json';
    files.push({ path: 'tsconfig.json', lines: rng.int(15, 30), owner: null });
  }
  files.push({ path: lockFile, lines: rng.int(2000, 9000), owner: null });
  files.push({ path: manifest, lines: rng.int(20, 60), owner: null });
  return { repo, lang, codeDirs, reserved: new Set(), importFiles: files, docsDir, configDir, vendorDir, genDir, lockFile, manifest };
}

export function addCodeFiles(rng: Rng, files: RepoPlan['importFiles'], dir: string, lang: Lang, n: number, owner: string | null): void {
  const stems = rng.shuffle([...FILE_STEMS]);
  for (let k = 0; k < n; k++) {
    const stem = `${stems[k % stems.length]}${k >= stems.length ? k : ''}`;
    files.push({ path: `${dir}/${stem}.${ext(lang)}`, lines: rng.int(20, 500), owner });
  }
}

/** A fresh file name for `dir` not yet used; `taken` is checked by the caller's state. */
export function newFileName(rng: Rng, dir: string, lang: Lang, taken: (p: string) => boolean): string {
  for (let i = 0; ; i++) {
    const stem = rng.pick(FILE_STEMS);
    const p = `${dir}/${stem}${i > 3 ? `-${i}` : ''}${rng.chance(0.3) ? '-v2' : ''}.${ext(lang)}`;
    if (!taken(p)) return p;
  }
}

/** A directory name for planted work that no open directory already uses. */
export function reservedDirName(rng: Rng, plan: RepoPlan, label: string): string {
  const root = plan.lang === 'go' ? 'internal' : plan.lang === 'py' ? 'app' : 'services';
  let dir = `${root}/${label}`;
  for (let i = 2; plan.codeDirs.includes(dir) || plan.reserved.has(dir); i++) dir = `${root}/${label}-${i}`;
  void rng;
  return dir;
}
