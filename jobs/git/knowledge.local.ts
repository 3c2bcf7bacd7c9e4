// Knowledge of any local repository at one revision, straight from git (no database): what
// `guidepost knowledge PATH` prints. Authors are inactive when their last commit in this
// repository is more than 90 days before the revision's date; there is no review data.
import { existsSync } from 'node:fs';
import { AppError } from '../../server/errors.ts';
import { emptyHistory, applyChanges } from './doa.ts';
import { IdentityResolver, type MergedIdentity } from './identity.ts';
import { parseMailmap } from './mailmap.parse.ts';
import { readGitLogBatches } from './log.parse.ts';
import { classifyFiles } from './linguist.ts';
import { computeKnowledge, type KnowledgeResult } from './knowledge.compute.ts';
import { GitError, firstLine, tryGit } from './git.exec.ts';
import { readTree } from './tree.read.ts';
import { readCodeowners } from './codeowners.read.ts';
import { parseCodeowners } from './codeowners.ts';
import { identityPeople, ownershipDrift, touchersFrom, type DriftReport } from './ownership-drift.ts';

export interface LocalKnowledge extends KnowledgeResult {
  rev: string;
  revDate: string;
  commits: number;
  /** Files at the revision that are not code (vendored, generated, documentation, data). */
  excludedFiles: number;
  /** Commit identities merged into one person, with the rules that merged them. */
  identities: MergedIdentity[];
  /** CODEOWNERS at the revision against who authors the files (no review data here). */
  codeowners: DriftReport;
}

/** Resolves `rev` in the repository at `path`, or throws a one-line AppError saying what is wrong. */
export async function resolveRevision(path: string, rev: string): Promise<{ sha: string; date: string }> {
  if (!existsSync(path)) throw new AppError('not_found', `${path} does not exist.`);
  if (rev.startsWith('-')) throw new AppError('bad_request', `--rev ${rev} is not a revision (it must not start with "-").`);
  // One git call on the happy path (each spawn costs); the diagnosis runs only when it fails.
  const out = await tryGit(['show', '-s', '--format=%H %ct', `${rev}^{commit}`, '--'], { cwd: path });
  const [sha, seconds] = (out ?? '').trim().split(' ');
  if (sha && seconds) return { sha, date: new Date(Number(seconds) * 1000).toISOString() };
  if ((await tryGit(['rev-parse', '--git-dir'], { cwd: path })) === null) throw new AppError('bad_request', `${path} is not a git repository.`);
  const any = (await tryGit(['rev-list', '-n', '1', '--all'], { cwd: path }))?.trim();
  if (!any) throw new AppError('bad_request', `${path} has no commits yet; there is no history to analyse.`);
  throw new AppError('bad_request', `Unknown revision "${rev}" in ${path}; pass a branch, tag or commit that exists.`);
}

export async function analyseLocalRepository(path: string, opts: { rev?: string; details?: boolean } = {}): Promise<LocalKnowledge> {
  const { sha, date } = await resolveRevision(path, opts.rev ?? 'HEAD');
  try {
    // Classification (CPU in this process) overlaps with git computing the history diff.
    const classified = readTree(path, sha).then((tree) => classifyFiles(tree.files, tree.attributes).then((c) => ({ c, total: tree.files.length, mailmap: tree.mailmap })));
    const state = emptyHistory();
    const resolver = new IdentityResolver();
    // CODEOWNERS needs only the revision: read while the log runs, not after it.
    const codeownersFile = readCodeowners(path, sha);
    classified.catch(() => {}); // awaited below; a failing log must not leave it unhandled
    codeownersFile.catch(() => {});
    const last: string[] = [];
    let commits = 0;
    for await (const batch of readGitLogBatches(path, sha)) {
      for (const commit of batch) {
        commits++;
        const raw = resolver.rawId(commit.authorName, commit.authorEmail);
        if ((last[raw] ?? '') < commit.authoredAt) last[raw] = commit.authoredAt;
        if (commit.parentCount <= 1) applyChanges(state, raw, commit.changes);
      }
    }
    const { c, total, mailmap } = await classified;
    const identities = resolver.resolve({ mailmap: parseMailmap(mailmap) });
    const lastActivity = new Map<string, string>();
    identities.forEach((id, raw) => {
      const at = last[raw];
      if (at && (lastActivity.get(id.key) ?? '') < at) lastActivity.set(id.key, at);
    });
    const result = computeKnowledge({ state, identities, files: c.code, lastActivity, asOf: date, details: opts.details ?? false });
    const merges = resolver.merges();
    const owners = await codeownersFile;
    const departed = new Map(result.people.map((p) => [p.key, p.departed]));
    const codeowners = ownershipDrift({
      codeowners: owners && parseCodeowners(owners.text, owners.path),
      files: c.code,
      fileAuthors: result.fileAuthors,
      touchers: touchersFrom(state, identities),
      people: identityPeople(identities, merges, (key) => departed.get(key) ?? false),
      teams: null,
    });
    return { ...result, rev: sha, revDate: date, commits, excludedFiles: total - c.code.length, identities: merges, codeowners };
  } catch (err) {
    if (err instanceof GitError) throw new AppError('bad_request', `Could not read the history of ${path}: ${firstLine(err.stderr) || err.message}`);
    throw err;
  }
}
