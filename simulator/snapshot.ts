// Save and load a simulated organisation as one JSON file (docs/simulator.md, "Snapshots").
// Loading validates the shape with zod and the references between objects, and says exactly
// what is wrong with a bad file instead of failing later inside a server.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { SimOrg } from './model.ts';
import { computeTruth } from './generate/truth.ts';
import { SNAPSHOT_FORMAT, snapshotSchema } from './snapshot.schema.ts';

export { SNAPSHOT_FORMAT };

export function saveSnapshot(org: SimOrg, file: string): void {
  // Written piece by piece so a large org never needs one giant string in memory.
  const { seed, scale, now, org: o, people, teams, repos, pulls, truth } = org;
  const fd = openSync(file, 'w');
  try {
    const put = (s: string) => writeSync(fd, s);
    put(`{"format":${JSON.stringify(SNAPSHOT_FORMAT)},"seed":${seed},"scale":${JSON.stringify(scale)},"now":${JSON.stringify(now)}`);
    put(`,"org":${JSON.stringify(o)},"people":${JSON.stringify(people)},"teams":${JSON.stringify(teams)},"repos":[`);
    repos.forEach((r, i) => put((i === 0 ? '' : ',') + JSON.stringify(r)));
    put('],"pulls":[');
    for (let i = 0; i < pulls.length; i += 500) put((i === 0 ? '' : ',') + pulls.slice(i, i + 500).map((p) => JSON.stringify(p)).join(','));
    put(`],"truth":${JSON.stringify(truth)}}\n`);
  } finally {
    closeSync(fd);
  }
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

export function loadSnapshot(file: string): SimOrg {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SnapshotError(code === 'ENOENT' ? `Snapshot file ${file} does not exist.` : `Cannot read snapshot file ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new SnapshotError(`Snapshot file ${file} is not valid JSON (${(e as Error).message}). Write it with saveSnapshot or follow docs/simulator.md.`);
  }
  return parseSnapshot(json, file);
}

/** Validates already-parsed JSON as a snapshot; `source` names it in error messages. */
export function parseSnapshot(json: unknown, source = 'snapshot'): SimOrg {
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `  - ${formatPath(i.path)}: ${i.message}`);
    const more = parsed.error.issues.length > 5 ? `\n  (and ${parsed.error.issues.length - 5} more)` : '';
    throw new SnapshotError(`Snapshot ${source} is not a valid organisation snapshot (docs/simulator.md):\n${issues.join('\n')}${more}`);
  }
  const { format: _format, truth, ...rest } = parsed.data;
  const org = { ...rest, truth: undefined } as unknown as SimOrg;
  checkReferences(org, source);
  org.truth = truth ?? computeTruth(org);
  return org;
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Cross-object checks zod cannot express: every login, repo, review and commit referred to exists. */
function checkReferences(org: SimOrg, source: string): void {
  const problems: string[] = [];
  const logins = new Set(org.people.map((p) => p.login));
  const repos = new Map(org.repos.map((r) => [r.name, new Set(r.commits.map((c) => c.id))]));
  const seen = new Set<string>();
  org.teams.forEach((t, i) => t.members.forEach((m) => { if (!logins.has(m)) problems.push(`teams[${i}].members: unknown login "${m}"`); }));
  org.pulls.forEach((p, i) => {
    const at = `pulls[${i}] (${p.repo}#${p.number})`;
    const commits = repos.get(p.repo);
    if (!commits) problems.push(`${at}.repo: no repo named "${p.repo}"`);
    if (seen.has(`${p.repo}#${p.number}`)) problems.push(`${at}: duplicate PR number`);
    seen.add(`${p.repo}#${p.number}`);
    if (!logins.has(p.author)) problems.push(`${at}.author: unknown login "${p.author}"`);
    if (p.mergedAt && commits && !p.commitIds.some((c) => commits.has(c))) problems.push(`${at}.commitIds: a merged PR needs its commit in ${p.repo}'s commits`);
    const reviewIds = new Set(p.reviews.map((r) => r.id));
    p.reviews.forEach((r, j) => { if (!logins.has(r.author)) problems.push(`${at}.reviews[${j}].author: unknown login "${r.author}"`); });
    p.reviewComments.forEach((c, j) => { if (!reviewIds.has(c.reviewId)) problems.push(`${at}.reviewComments[${j}].reviewId: no review ${c.reviewId} on this PR`); });
  });
  if (problems.length > 0) {
    const more = problems.length > 5 ? `\n  (and ${problems.length - 5} more)` : '';
    throw new SnapshotError(`Snapshot ${source} refers to things it does not contain:\n${problems.slice(0, 5).map((p) => `  - ${p}`).join('\n')}${more}`);
  }
}
