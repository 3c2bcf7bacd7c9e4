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

  // The machine may be shared: wall time is shown, and CPU time (user + sys of every process
  // involved, git included) is the steadier measure of the work each side does.
  const rss: { commits: number; files: number; mib: number }[] = [];
  for (const [label, rev] of [[`${PREFIX} commits`, 'prefix'], [`${COMMITS} commits`, 'main']] as const) {
    await gitLog(rev); // warm the page cache
    const git = best([await gitLog(rev), await gitLog(rev), await gitLog(rev)]);
    const runs = [await guidepostRun(rev), await guidepostRun(rev), await guidepostRun(rev)];
    const gp = best(runs);
    const r = runs[0]!;
    console.log(`${label}: ${r.files} code files, ${r.commits} commits, TF ${r.truckFactor}`);
    console.log(`  git log --name-status alone: wall ${git.wall.toFixed(2)} s, cpu ${git.cpu.toFixed(2)} s`);
    console.log(`  Guidepost knowledge:         wall ${gp.wall.toFixed(2)} s, cpu ${gp.cpu.toFixed(2)} s`);
    console.log(`  ratio Guidepost ÷ git log: wall ${(gp.wall / git.wall).toFixed(2)}, cpu ${(gp.cpu / git.cpu).toFixed(2)} (target ≤ 1.5)`);
    const mib = Math.max(...runs.map((x) => x.maxRssMiB));
    rss.push({ commits: r.commits, files: r.files, mib });
    console.log(`  peak RSS of the Guidepost process: ${mib.toFixed(0)} MiB (target < 512 MiB)`);
  }
  const [small, large] = rss as [(typeof rss)[number], (typeof rss)[number]];
  console.log(
    `memory: ${(large.commits / small.commits).toFixed(1)}× the commits (${small.files} → ${large.files} code files) took ${(large.mib / small.mib).toFixed(2)}× the peak RSS (${small.mib.toFixed(0)} → ${large.mib.toFixed(0)} MiB)`,
  );
}

interface Timing {
  wall: number;
  cpu: number;
}

function best(ts: Timing[]): Timing {
  return { wall: Math.min(...ts.map((t) => t.wall)), cpu: Math.min(...ts.map((t) => t.cpu)) };
}

/** Runs a command under bash's `time`, which counts the CPU of every process it waited for. */
function timed(command: string, args: string[]): Promise<Timing & { stdout: string }> {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-c', `TIMEFORMAT='@@ %R %U %S'; time ${quoted}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const m = /@@ ([\d.]+) ([\d.]+) ([\d.]+)/.exec(err);
      if (code !== 0 || !m) return fail(new Error(`${command} failed: ${err.slice(-500)}`));
      done({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), stdout: out });
    });
  });
}

/** `git log` exactly as Guidepost runs it, its output thrown away: the floor. */
async function gitLog(rev: string): Promise<Timing> {
  const args = gitArgs(logArgs(rev), REPO).map((a) => a);
  const t = await timed('sh', ['-c', `exec git ${args.map((a) => `'${a}'`).join(' ')} > /dev/null`]);
  return { wall: t.wall, cpu: t.cpu };
}

interface ChildResult extends Timing {
  maxRssMiB: number;
  truckFactor: number;
  files: number;
  commits: number;
}

/** The whole knowledge computation in a fresh process, so its peak RSS is its own. */
async function guidepostRun(rev: string): Promise<ChildResult> {
  const t = await timed(process.execPath, ['bin/run-ts.js', CHILD, REPO, rev]);
  const r = JSON.parse(t.stdout) as { seconds: number; startupCpu: number; maxRssMiB: number; truckFactor: number; files: number; commits: number };
  // Node and tsx start-up is not part of the computation: the child measures and reports it.
  return { wall: r.seconds, cpu: t.cpu - r.startupCpu, maxRssMiB: r.maxRssMiB, truckFactor: r.truckFactor, files: r.files, commits: r.commits };
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
  // glibc returns memory to the OS after every commit fast-import writes (tens of thousands of
  // brk calls); a large trim threshold makes the build about 20× faster.
  const env = { ...process.env, MALLOC_TOP_PAD_: String(256 << 20), MALLOC_TRIM_THRESHOLD_: String(256 << 20) };
  const child = spawn('git', ['-C', dir, 'fast-import', '--quiet', '--done'], { stdio: ['pipe', 'inherit', 'inherit'], env });
  child.stdin.on('error', () => {}); // a fast-import failure shows in its exit code
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
  let sideOps = '';
  const newPath = () => `${pick(dirs)}/f${fileSeq++}.${pick(exts)}`;

  for (let i = 1; i <= commits; i++) {
    const now = Math.floor(start + i * step);
    const active = authors.filter((a) => a.from <= i && a.to >= i);
    const a = active.length ? pick(active) : authors[0]!;
    let cmd = `commit refs/heads/${i % 50 === 0 ? 'side' : 'main'}\nmark :${i}\n`;
    cmd += `author ${a.name} <${a.email}> ${now} +0000\ncommitter ${a.name} <${a.email}> ${now} +0000\n${data(`change ${i}`)}`;
    const side = i % 50 === 0; // a side-branch commit (edits only), merged by the next commit
    if (side) cmd += `from :${i - 1}\n`;
    if (i % 50 === 1 && i > 1) cmd += `from :${i - 2}\nmerge :${i - 1}\n${sideOps}`; // the merge's tree holds the side edits
    const ops: string[] = [];
    const n = live.length < 4000 ? 3 + Math.floor(r() * 4) : 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) {
      const roll = r();
      if (side) {
        const p = pick(live);
        ops.push(`M 100644 inline ${p}\n${data(body(p))}`);
      } else if (live.length < 50 || (roll < 0.12 && live.length < 4200)) {
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
    if (side) sideOps = [...new Set(ops)].join('');
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
