// Knowledge benchmark (issue 4). Prints, on a generated repository of 100k commits:
//   Guidepost's knowledge run (same git log + parse + DOA + TF + ownership) ÷ the same
//   `git log --name-status` writing to /dev/null                        (target ≤ 1.5)
//   peak RSS of the Guidepost run in a child process, at 25k and 100k commits (target < 512 MiB,
//   about equal at both sizes: memory follows files, not commits)
// The repository is built once with git fast-import and cached under .tmp/bench/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logArgs } from '../jobs/git/log.parse.ts';
import { gitArgs } from '../jobs/git/git.exec.ts';

const COMMITS = Number(process.argv.find((a) => a.startsWith('--commits='))?.slice(10) ?? 100_000);
const PREFIX = Math.round(COMMITS / 4);
const ROOT = resolve('.tmp/bench');
const REPO = join(ROOT, `knowledge-${COMMITS}.git`);
const CHILD = fileURLToPath(new URL('./knowledge.child.ts', import.meta.url));

export async function run(): Promise<void> {
  if (!existsSync(join(REPO, 'refs', 'heads', 'done'))) {
    const t = performance.now();
    await buildRepository(REPO, COMMITS, PREFIX);
    console.log(`built ${REPO} (${COMMITS} commits) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`using cached ${REPO}`);

  for (const [label, rev] of [[`${PREFIX} commits`, 'prefix'], [`${COMMITS} commits`, 'main']] as const) {
    await gitLogSeconds(rev); // warm the page cache and git's object access
    const git = Math.min(await gitLogSeconds(rev), await gitLogSeconds(rev));
    const a = await guidepostRun(rev);
    const b = await guidepostRun(rev);
    const gp = a.seconds < b.seconds ? a : b;
    console.log(`${label}: git log --name-status ${git.toFixed(2)} s; Guidepost ${gp.seconds.toFixed(2)} s (TF ${gp.truckFactor}, ${gp.files} code files, ${gp.commits} commits)`);
    console.log(`  ratio Guidepost ÷ git log: ${(gp.seconds / git).toFixed(2)} (target ≤ 1.5)`);
    console.log(`  peak RSS: ${gp.maxRssMiB.toFixed(0)} MiB (target < 512 MiB)`);
  }
}

/** `git log` exactly as Guidepost runs it, its output thrown away: the floor. */
function gitLogSeconds(rev: string): Promise<number> {
  return new Promise((done, fail) => {
    const t = performance.now();
    const child = spawn('git', gitArgs(logArgs(rev), REPO), { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done((performance.now() - t) / 1000) : fail(new Error(`git log exited ${code}`))));
  });
}

interface ChildResult {
  seconds: number;
  maxRssMiB: number;
  truckFactor: number;
  files: number;
  commits: number;
}

/** The whole knowledge computation in a fresh process, so its peak RSS is its own. */
function guidepostRun(rev: string): Promise<ChildResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', CHILD, REPO, rev], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(JSON.parse(out) as ChildResult) : fail(new Error(`knowledge child exited ${code}`))));
  });
}

// ---- a realistic synthetic history ---------------------------------------------------------

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * ~4000 live files in ~200 directories (mostly code, some docs, data and vendored files), 80
 * authors who join and leave over ten years, 1–6 files per commit, ~1% renames (half of them
 * with edits), some deletes and re-adds, and a merge every 50 commits.
 */
export async function buildRepository(dir: string, commits: number, prefix: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  await exec('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  const child = spawn('git', ['-C', dir, 'fast-import', '--quiet', '--done'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<void>((ok, fail) => child.on('close', (c) => (c === 0 ? ok() : fail(new Error(`fast-import exited ${c}`)))));
  // Writes go out in ~1 MiB pieces: one pipe write per commit costs more than the commit.
  let buffered = '';
  const flush = () => {
    const s = buffered;
    buffered = '';
    return child.stdin.write(s) ? Promise.resolve() : new Promise<void>((r) => child.stdin.once('drain', () => r()));
  };
  const write = (s: string) => {
    buffered += s;
    return buffered.length > 1 << 20 ? flush() : Promise.resolve();
  };

  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const exts = ['ts', 'ts', 'ts', 'go', 'py', 'js', 'rs', 'java', 'md', 'json', 'yml', 'css'];
  const dirs = Array.from({ length: 200 }, (_, i) => (i % 10 === 9 ? `vendor/lib${i}` : i % 17 === 0 ? `docs/part${i}` : `services/s${i % 40}/m${i}`));
  const authors = Array.from({ length: 80 }, (_, i) => ({ name: `Dev ${i}`, email: `dev${i}@example.com`, from: i * (commits / 100), to: i * (commits / 100) + commits * (0.2 + r() * 0.6) }));
  const live: string[] = [];
  const liveSet = new Set<string>();
  const version = new Map<string, number>();
  const start = Date.UTC(2015, 0, 1) / 1000;
  const step = (10 * 365 * 86_400) / commits;
  const body = (p: string) => {
    const v = (version.get(p) ?? 0) + 1;
    version.set(p, v);
    const lines = Array.from({ length: 12 }, (_, k) => `// ${p} line ${k}${k === v % 12 ? ` edit ${v}` : ''}`).join('\n');
    return `${lines}\n`;
  };
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  let fileSeq = 0;
  const newPath = () => `${pick(dirs)}/f${fileSeq++}.${pick(exts)}`;

  for (let i = 1; i <= commits; i++) {
    const now = Math.floor(start + i * step);
    const active = authors.filter((a) => a.from <= i && a.to >= i);
    const a = active.length ? pick(active) : authors[0]!;
    let cmd = `commit refs/heads/${i % 50 === 0 ? 'side' : 'main'}\nmark :${i}\n`;
    cmd += `author ${a.name} <${a.email}> ${now} +0000\ncommitter ${a.name} <${a.email}> ${now} +0000\n${data(`change ${i}`)}`;
    if (i % 50 === 0) cmd += `from :${i - 1}\n`; // side branch commit, merged by the next one
    if (i % 50 === 1 && i > 1) cmd += `from :${i - 2}\nmerge :${i - 1}\n`;
    const ops: string[] = [];
    const n = live.length < 4000 ? 3 + Math.floor(r() * 4) : 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) {
      const roll = r();
      if (live.length < 50 || (roll < 0.12 && live.length < 4200)) {
        const p = newPath();
        ops.push(`M 100644 inline ${p}\n${data(body(p))}`);
        live.push(p);
        liveSet.add(p);
      } else if (roll < 0.125) {
        const idx = Math.floor(r() * live.length);
        const from = live[idx]!;
        const to = newPath();
        if (r() < 0.5) ops.push(`R ${from} ${to}\n`);
        else ops.push(`D ${from}\nM 100644 inline ${to}\n${data(body(from))}`); // rename with an edit
        version.set(to, version.get(from) ?? 1);
        live[idx] = to;
        liveSet.delete(from);
        liveSet.add(to);
      } else if (roll < 0.13 && live.length > 3000) {
        const idx = Math.floor(r() * live.length);
        ops.push(`D ${live[idx]}\n`);
        liveSet.delete(live[idx]!);
        live[idx] = live[live.length - 1]!;
        live.pop();
      } else {
        // Most edits go to a small hot set of files, as in real projects.
        const p = r() < 0.7 ? live[Math.floor(r() * Math.min(live.length, 600))]! : pick(live);
        ops.push(`M 100644 inline ${p}\n${data(body(p))}`);
      }
    }
    // One operation per path per commit keeps fast-import's view simple.
    const seen = new Set<string>();
    for (const op of ops) {
      const key = op.split('\n')[0]!;
      if (seen.has(key)) continue;
      seen.add(key);
      cmd += op;
    }
    await write(`${cmd}\n`);
    if (i === prefix) await write(`reset refs/heads/prefix\nfrom :${i}\n\n`);
  }
  await write(`reset refs/heads/done\nfrom :${commits}\n\ndone\n`);
  await flush();
  child.stdin.end();
  await exited;
  await exec('git', ['-C', dir, 'symbolic-ref', 'HEAD', 'refs/heads/main']);
}

function exec(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const c = spawn(cmd, args, { stdio: 'inherit' });
    c.on('close', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args[0]} exited ${code}`))));
  });
}
