import type { Db } from '../db/connect.ts';
import { derivedScope } from './scope.ts';
import { perRun } from './run-cache.ts';

// Pending review requests (one rule for every surface): a person asked to review a pull request
// still open at `asOf`, who has not reviewed it since they were last asked. Seen at `asOf` (the
// end of the window, or of the synced history when that is earlier), so a past window reads as
// it was then. Requests to teams are not counted.
//
// Each request is pending over one span of time: from when it was made until the first of the
// person's next review, the next request of the same person on the same PR (which takes over),
// the merge or the close. Those spans are read once per derive; any instant's count is then the
// spans that contain it, without asking SQLite again.

export interface PendingScope {
  asOf: string;
  /** Only requests to these people (the counted people, narrowed by a team filter). */
  reviewers: ReadonlySet<number>;
  repoId?: number | undefined;
  /** Only this reviewer (a person's page). */
  reviewerId?: number | undefined;
}

export interface PendingRequest {
  pull_request_id: number;
  reviewer_id: number;
  requested_at: string;
}

interface Spans {
  pr: Int32Array;
  reviewer: Int32Array;
  repo: Int32Array;
  from: Float64Array;
  until: Float64Array;
  requestedAt: string[];
}

/** Pending requests at `asOf` as (PR, reviewer) pairs; the count a tile shows is its length. */
export async function pendingRequests(db: Db, s: PendingScope): Promise<PendingRequest[]> {
  const spans = await spansOf(db);
  const at = Date.parse(s.asOf);
  const out: PendingRequest[] = [];
  const seen = new Set<string>(); // two requests of one person in the same second are one
  for (let i = 0; i < spans.pr.length; i++) {
    if (!(spans.from[i]! < at && at < spans.until[i]!)) continue;
    const reviewer = spans.reviewer[i]!;
    if (!s.reviewers.has(reviewer) || (s.repoId !== undefined && spans.repo[i] !== s.repoId) || (s.reviewerId !== undefined && reviewer !== s.reviewerId)) continue;
    const key = `${spans.pr[i]}:${reviewer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pull_request_id: spans.pr[i]!, reviewer_id: reviewer, requested_at: spans.requestedAt[i]! });
  }
  return out;
}

function spansOf(db: Db): Promise<Spans> {
  return perRun(db, 'pending spans', readSpans);
}

async function readSpans(db: Db): Promise<Spans> {
  // Read in batches of PRs by id (each batch a few milliseconds through the indexes), with a
  // turn of the event loop between: a large org has hundreds of thousands of requests and
  // reviews, and every SQLite call holds the event loop while it runs.
  const out = { pr: [] as number[], reviewer: [] as number[], repo: [] as number[], from: [] as number[], until: [] as number[], requestedAt: [] as string[] };
  const ms = (t: string | null) => (t === null ? Infinity : Date.parse(t));
  // Only the shown org's requests, as the derive read only its PRs (scope.ts).
  const scope = await derivedScope(db);
  const inScope = scope ? new Set(scope.repoIds) : null;
  let after = Number.MIN_SAFE_INTEGER; // a bound number both engines take (PostgreSQL has no infinite bigint)
  for (;;) {
    const prs = await db.selectFrom('pull_requests').select(['id', 'repo_id', 'merged_at', 'closed_at']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!prs.length) break;
    const first = prs[0]!.id;
    const last = prs[prs.length - 1]!.id;
    after = last;
    const requests = await db
      .selectFrom('review_requests')
      .select(['pull_request_id as pr', 'reviewer_id as reviewer', 'requested_at'])
      .where('pull_request_id', '>=', first)
      .where('pull_request_id', '<=', last)
      .where('reviewer_id', 'is not', null)
      .execute();
    if (requests.length) {
      const answers = new Map<string, number[]>();
      const reviews = await db.selectFrom('reviews').select(['pull_request_id as pr', 'reviewer_id as reviewer', 'submitted_at']).where('pull_request_id', '>=', first).where('pull_request_id', '<=', last).execute();
      for (const r of reviews) push(answers, `${r.pr}:${r.reviewer}`, Date.parse(r.submitted_at));
      const asked = new Map<string, number[]>();
      for (const r of requests) push(asked, `${r.pr}:${r.reviewer}`, Date.parse(r.requested_at));
      const byId = new Map(prs.map((p) => [p.id, { repo: p.repo_id, end: Math.min(ms(p.merged_at), ms(p.closed_at)) }]));
      for (const r of requests) {
        const key = `${r.pr}:${r.reviewer}`;
        const at = Date.parse(r.requested_at);
        // The same person asked again later on the same PR: that request takes over from then.
        const nextAt = Math.min(...(asked.get(key) ?? []).filter((t) => t > at), Infinity);
        const answeredAt = Math.min(...(answers.get(key) ?? []).filter((t) => t >= at), Infinity);
        const pr = byId.get(r.pr);
        if (inScope && !(pr && inScope.has(pr.repo))) continue;
        out.pr.push(r.pr);
        out.reviewer.push(r.reviewer!);
        out.repo.push(pr?.repo ?? -1);
        // Pending at asOf when made strictly before it and not ended before it: asOf in
        // (from, until), half-milliseconds putting each end on the right side of an equal instant.
        out.from.push(at + 0.5);
        out.until.push(Math.min(nextAt, answeredAt, pr?.end ?? Infinity) + 0.5);
        out.requestedAt.push(r.requested_at);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { pr: Int32Array.from(out.pr), reviewer: Int32Array.from(out.reviewer), repo: Int32Array.from(out.repo), from: Float64Array.from(out.from), until: Float64Array.from(out.until), requestedAt: out.requestedAt };
}

/** PRs read per batch. */
const BATCH = 2000;

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
