// Knowledge benchmark (issues 4 and 14). `guidepost knowledge` measured as a user runs it:
// `node bin/guidepost.js knowledge REPO` in a fresh process, start-up and output included, after
// `npm run build` (whose CLI bundle it starts from; bin/build-cli.js is run here first). Prints, at
// about 20k and 100k commits of a generated repository:
//   its wall time ÷ that of the same `git log --name-status -M` writing to /dev/null (target ≤ 1.3)
//   the peak RSS of the Guidepost process (target < 512 MiB, about equal at both sizes: memory
//   follows files, not commits)
// The repository is built once with git fast-import and cached under .tmp/bench/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { logArgs } from '../jobs/git/log.parse.ts';
import { gitArgs } from '../jobs/git/git.exec.ts';

const COMMITS = Number(process.argv.find((a) => a.startsWith('--commits='))?.slice(10) ?? 100_000);
const SMALL = Math.round(COMMITS / 5);
const SMALL_REF = `at-${SMALL}`;
const ROOT = resolve('.tmp/bench');
const REPO = join(ROOT, `knowledge-${COMMITS}.git`);
const TARGET = 1.3;

export async function run(): Promise<void> {
  if (!existsSync(join(REPO, 'refs', 'heads', 'done')) || !existsSync(join(REPO, 'refs', 'heads', SMALL_REF))) {
    const t = performance.now();
    await buildRepository(REPO, COMMITS, SMALL);
    console.log(`built ${REPO} (${COMMITS} commits) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`using cached ${REPO}`);
  await exec(process.execPath, ['bin/build-cli.js']);
  const startup = best(await repeat(3, () => timed(process.execPath, ['bin/guidepost.js', '--version'])));
  console.log(`start-up (guidepost --version): wall ${startup.wall.toFixed(2)} s`);

  // The machine may be shared: each side runs several times, turn about, and the best counts.
  // CPU time (user + sys of every process involved, git included) is the steadier measure of
  // the work each side does.
  const rss: { commits: number; files: number; mib: number }[] = [];
  for (const [rev, rounds] of [[SMALL_REF, 5], ['main', 3]] as const) {
    await gitLog(rev); // warm the page cache
    const gits: Timing[] = [];
    const gps: Timing[] = [];
    for (let i = 0; i < rounds; i++) {
      gits.push(await gitLog(rev));
      gps.push(await guidepostRun(rev));
    }
    const git = best(gits);
    const gp = best(gps);
    const r = await guidepostReport(rev);
    console.log(`${r.commits} commits: ${r.files} code files, TF ${r.truckFactor}, TF without inactive ${r.truckFactorWithoutDeparted}, ${r.owners} owners`);
    console.log(`  git log --name-status alone:                wall ${git.wall.toFixed(2)} s, cpu ${git.cpu.toFixed(2)} s`);
    console.log(`  node bin/guidepost.js knowledge (all of it): wall ${gp.wall.toFixed(2)} s, cpu ${gp.cpu.toFixed(2)} s`);
    console.log(`  ratio Guidepost ÷ git log: wall ${(gp.wall / git.wall).toFixed(2)}, cpu ${(gp.cpu / git.cpu).toFixed(2)} (target ≤ ${TARGET})`);
    rss.push({ commits: r.commits, files: r.files, mib: r.maxRssMiB });
    console.log(`  peak RSS of the Guidepost process: ${r.maxRssMiB.toFixed(0)} MiB (target < 512 MiB)`);
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

async function repeat<T>(n: number, f: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}

/** Runs a command under bash's `time`, which counts the CPU of every process it waited for. */
function timed(command: string, args: string[]): Promise<Timing & { stdout: string; stderr: string }> {
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
      done({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), stdout: out, stderr: err });
    });
  });
}

/** `git log` exactly as Guidepost runs it, its output thrown away: the floor. */
async function gitLog(rev: string): Promise<Timing> {
  const args = gitArgs(logArgs(rev), REPO).map((a) => a);
  const t = await timed('sh', ['-c', `exec git ${args.map((a) => `'${a}'`).join(' ')} > /dev/null`]);
  return { wall: t.wall, cpu: t.cpu };
}

/** The command as a user types it, its report written to a pipe (the terminal's stand-in). */
async function guidepostRun(rev: string): Promise<Timing> {
  const t = await timed(process.execPath, ['bin/guidepost.js', 'knowledge', REPO, '--rev', rev]);
  if (!t.stdout.startsWith('Revision ')) throw new Error(`guidepost knowledge printed no report: ${t.stdout.slice(0, 200)}`);
  return { wall: t.wall, cpu: t.cpu };
}

/** One more run, with --json for the numbers, its process's peak RSS reported as it exits (untimed). */
async function guidepostReport(rev: string): Promise<{ maxRssMiB: number; truckFactor: number; truckFactorWithoutDeparted: number; files: number; commits: number; owners: number }> {
  const atExit = `data:text/javascript,process.on('exit',()=>process.stderr.write('@@rss '+process.resourceUsage().maxRSS+'\\n'))`;
  const t = await timed(process.execPath, ['--import', atExit, 'bin/guidepost.js', 'knowledge', REPO, '--rev', rev, '--json']);
  const r = JSON.parse(t.stdout) as { truckFactor: number; truckFactorWithoutDeparted: number; files: number; commits: number; owners: unknown[] };
  const kib = Number(/@@rss (\d+)/.exec(t.stderr)?.[1] ?? Number.NaN);
  return { maxRssMiB: kib / 1024, truckFactor: r.truckFactor, truckFactorWithoutDeparted: r.truckFactorWithoutDeparted, files: r.files, commits: r.commits, owners: r.owners.length };
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
export async function buildRepository(dir: string, commits: number, small: number): Promise<void> {
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
    if (i === small) await write(`reset refs/heads/at-${small}\nfrom :${i}\n\n`);
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
