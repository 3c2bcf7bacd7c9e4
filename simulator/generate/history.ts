// Replays each repository's history in time order: the founders' import, then every PR's
// changes against the files of the moment (merged ones become one squash commit each), and a
// few direct pushes. Fills SimRepo.commits and each spec's files.
import type { SimCommit, SimFileChange } from '../model.ts';
import type { Actor, CommitIdentity } from './actors.ts';
import type { GenContext } from './context.ts';
import { applyChanges, createFileState, dirOf, makeChanges } from './changes.ts';
import type { FileState } from './changes.ts';
import { hash32 } from './random.ts';
import type { RepoPlan } from './repos.ts';
import type { PullSpec } from './spec.ts';
import { activeAt } from './spec.ts';
import { DAY, HOUR, MINUTE, iso } from './time.ts';

type Event = { at: number; spec: PullSpec | null };

export function buildHistories(ctx: GenContext): void {
  const byRepo: PullSpec[][] = ctx.repos.map(() => []);
  for (const s of ctx.specs) byRepo[s.repo]!.push(s);
  ctx.repos.forEach((plan, i) => buildHistory(ctx, plan, i, byRepo[i]!));
}

function identity(ctx: GenContext, a: Actor): CommitIdentity {
  return a.idents.length > 1 && ctx.rng.chance(0.3) ? (a.idents[1] as CommitIdentity) : (a.idents[0] as CommitIdentity);
}

function commit(plan: RepoPlan, who: CommitIdentity, at: number, message: string, changes: SimFileChange[], prNumber: number | null): SimCommit {
  const c: SimCommit = {
    id: `c${String(plan.repo.commits.length + 1).padStart(6, '0')}`,
    prNumber, authorLogin: who.login, authorName: who.name, authorEmail: who.email,
    date: iso(at), message, changes,
  };
  plan.repo.commits.push(c);
  return c;
}

function buildHistory(ctx: GenContext, plan: RepoPlan, repoIdx: number, specs: PullSpec[]): void {
  const { rng } = ctx;
  const st = createFileState();
  importFiles(ctx, plan, repoIdx, st);
  const events: Event[] = specs.map((s) => ({ at: s.fate === 'merged' ? (s.end as number) : s.created, spec: s }));
  const pushes = 2 + Math.round(specs.length * 0.03);
  const start = Date.parse(plan.repo.createdAt) + DAY;
  for (let i = 0; i < pushes; i++) events.push({ at: start + Math.floor(rng.next() * (ctx.now - start - DAY)), spec: null });
  events.sort((a, b) => a.at - b.at || (a.spec?.number ?? 0) - (b.spec?.number ?? 0));
  const pushers = (ctx.reviewersByRepo[repoIdx] ?? []).filter((a) => a.role === 'senior' || a.role === 'mid');
  for (const ev of events) {
    if (!ev.spec) {
      const who = pushers.filter((a) => activeAt(a, ev.at));
      if (who.length === 0) continue;
      const a = rng.pick(who);
      const kind = rng.chance(0.6) ? 'docs' : 'config';
      const changes = makeChanges(st, rng, plan, { kind, dir: '', total: rng.int(1, 30), canAdd: false, canRestructure: false });
      applyChanges(st, changes);
      commit(plan, identity(ctx, a), ev.at, kind === 'docs' ? 'Update docs' : 'Tweak config', changes, null);
      continue;
    }
    const s = ev.spec;
    s.files = changesFor(ctx, plan, st, s);
    if (s.fate === 'merged') {
      applyChanges(st, s.files);
      s.commitId = commit(plan, identity(ctx, s.author), ev.at, `${s.title} (#${s.number})`, s.files, s.number).id;
    }
  }
}

function changesFor(ctx: GenContext, plan: RepoPlan, st: FileState, s: PullSpec): SimFileChange[] {
  const { rng } = ctx;
  const canAdd = s.author.mayAddFiles && (s.kind === 'code' || s.kind === 'huge');
  if (s.kind !== 'code' && s.kind !== 'huge') return makeChanges(st, rng, plan, { kind: s.kind, dir: '', total: s.total, canAdd: false, canRestructure: false });
  let dir = s.dir ?? pickDir(plan, s.author, rng.next());
  if (!canAdd && (st.byDir.get(dir)?.size ?? 0) === 0) dir = plan.codeDirs.find((d) => (st.byDir.get(d)?.size ?? 0) > 0) ?? dir;
  return makeChanges(st, rng, plan, { kind: 'code', dir, total: s.total, canAdd, canRestructure: s.canRestructure });
}

/** People keep to two or three directories of a repo, with the odd excursion. */
function pickDir(plan: RepoPlan, a: Actor, u: number): string {
  const dirs = plan.codeDirs;
  const h = hash32(`${a.login}/${plan.repo.name}`);
  if (u < 0.25) return dirs[Math.floor((u / 0.25) * dirs.length)] as string;
  const k = Math.floor(((u - 0.25) / 0.75) * 3);
  return dirs[(h + k * 7) % dirs.length] as string;
}

/** The founders import the code base: each directory's files alternate between importers. */
function importFiles(ctx: GenContext, plan: RepoPlan, repoIdx: number, st: FileState): void {
  const founders = ctx.actors.filter((a) => (a.role === 'senior' || a.role === 'departedOwner') && a.homeRepos.includes(repoIdx));
  const importers = (founders.length >= 2 ? founders : ctx.actors.filter((a) => a.role === 'senior')).slice(0, 4);
  const byImporter = new Map<string, SimFileChange[]>();
  const dirIndex = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const f of plan.importFiles) {
    const d = dirOf(f.path);
    if (!dirIndex.has(d)) dirIndex.set(d, dirIndex.size);
    const j = seen.get(d) ?? 0;
    seen.set(d, j + 1);
    const who = f.owner ?? (importers[((dirIndex.get(d) as number) + j) % importers.length] as Actor).login;
    let list = byImporter.get(who);
    if (!list) byImporter.set(who, (list = []));
    list.push({ path: f.path, kind: 'add', additions: f.lines, deletions: 0 });
  }
  const t0 = Date.parse(plan.repo.createdAt);
  let k = 0;
  for (const [login, changes] of byImporter) {
    const a = ctx.byLogin.get(login) as Actor;
    applyChanges(st, changes);
    commit(plan, a.idents[0] as CommitIdentity, t0 + k * 17 * MINUTE + HOUR, k === 0 ? 'Initial import' : `Import ${[...new Set(changes.map((c) => dirOf(c.path) || '/'))].slice(0, 3).join(', ')}`, changes, null);
    k++;
  }
}
