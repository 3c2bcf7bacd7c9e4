import type { Db } from '../../server/db/connect.ts';
import type { Logger } from '../../server/logger.ts';
import type { GithubClient, GraphqlResult, RestResult } from './client.ts';
import { githubError } from './errors.ts';
import { takePulse } from './org.collect.ts';
import { extractContext, storeAndExtract } from './extract.ts';
import { nextLink, packBody, pageOfLink, restUrl } from './raw.collect.ts';
import { refreshPeopleSeen } from './people.extract.ts';
import { refreshReviewCommentCounts } from './review-comments.extract.ts';
import { dbId, NESTED_PAGE_SIZE, PULL_OVERFLOW_QUERY, PULLS_PAGE_SIZE, PULLS_QUERY, pullsPageCost, type GqlPull, type PullOverflowData, type PullsPageData } from './pulls.query.ts';
import { serializeTransactions } from '../../server/db/dialect.ts';

// One repo's pull requests, newest update first, down to the bookmark (the newest updatedAt
// fully stored by the last run) or the start of the backfill window. Each page is stored and
// extracted in one transaction together with the cursor of the next page, so a killed sync
// resumes at the page after the last one stored and loses no more than one page of work.

/** Review-comment pages asked for ahead of the one being stored, and stored together at most. */
const COMMENT_PAGES_AHEAD = 4;
const COMMENT_PAGES_PER_WRITE = 5;

export interface RepoProgress {
  phase: 'pulls' | 'comments';
  /** Bookmark when this run started: the run stops at PRs updated before it. */
  stopAt: string | null;
  since: string;
  /** Newest updatedAt seen in this run; becomes the bookmark when the run completes. */
  newest: string | null;
  pages: number;
  pulls: number;
  commentPages: number;
  /** Total PRs the repo reported (for the estimate), when known. */
  total?: number | null;
  startedAt?: string;
}

export interface RepoSyncResult {
  repoId: number | null;
  pulls: number;
  skipped?: string;
}

export async function syncRepo(
  db: Db,
  gh: GithubClient,
  logger: Logger,
  o: { org: string; repo: string; since: string; pulse?: boolean; botLogins?: readonly string[]; onPage?: (p: RepoProgress) => void },
): Promise<RepoSyncResult> {
  const scope = `repo:${o.org}/${o.repo}`;
  const now = () => new Date().toISOString();
  // Before any PR is read, so a change made while this runs shows in the next re-check.
  if (o.pulse) await takePulse(db, gh, o.org, o.repo);
  const state = await db.selectFrom('sync_state').selectAll().where('scope', '=', scope).executeTakeFirst();
  const stored = state?.progress ? (JSON.parse(state.progress) as RepoProgress) : null;
  // Resume a run that was cut short; otherwise start at the newest PR.
  const resuming = state?.status === 'running' && stored !== null && stored.since === o.since;
  const cursor = resuming ? (state?.cursor ?? null) : null;
  // A wider window than the last run's means the older PRs were never fetched: no bookmark then.
  const bookmark = stored && stored.since <= o.since ? (state?.bookmark ?? null) : null;
  const p: RepoProgress = resuming ? stored : { phase: 'pulls', stopAt: bookmark, since: o.since, newest: null, pages: 0, pulls: 0, commentPages: 0, startedAt: now() };
  const save = async (d: Db, extra: { cursor: string | null; status?: 'running' | 'done' | 'failed'; bookmark?: string | null; last_error?: string | null }) => {
    const row = { cursor: extra.cursor, status: extra.status ?? 'running', progress: JSON.stringify(p), updated_at: now(), last_error: extra.last_error ?? null, ...(extra.bookmark !== undefined ? { bookmark: extra.bookmark } : {}) };
    await d.insertInto('sync_state').values({ scope, ...row }).onConflict((oc) => oc.column('scope').doUpdateSet(row)).execute();
  };
  // Comment pages, asked for once each; the first goes out now, beside the PR pages (it is
  // stored after them, since comments hang on PR rows). Failures come back as values.
  const arrived = new Set<number>();
  const requested = new Map<number, Promise<{ params: Record<string, unknown>; res: RestResult<unknown[]> } | { err: unknown }>>();
  let lastPage: number | null = null;
  const commentPage = (page: number) => {
    let got = requested.get(page);
    if (!got) {
      const params = { owner: o.org, repo: o.repo, since: p.stopAt ?? o.since, sort: 'created', direction: 'asc', per_page: 100, page };
      got = gh.get<unknown[]>('/repos/{owner}/{repo}/pulls/comments', params).then(
        (res) => ({ params, res }),
        (err: unknown) => ({ err }),
      );
      void got.then((r) => {
        arrived.add(page);
        if ('res' in r) lastPage = pageOfLink(r.res.link, 'last') ?? lastPage;
        askAhead();
      });
      requested.set(page, got);
    }
    return got;
  };
  // Later pages are asked for as soon as GitHub's Link names the last one, and again as pages
  // are stored: up to COMMENT_PAGES_AHEAD past those stored. They travel while the PR pages are read.
  const askAhead = () => {
    for (let q = p.commentPages + 1; lastPage !== null && q <= Math.min(lastPage, p.commentPages + 1 + COMMENT_PAGES_AHEAD); q++) void commentPage(q);
  };
  void commentPage(p.commentPages + 1);

  if (!resuming) await save(db, { cursor: null });

  const url = `${gh.baseUrl}/graphql`;
  const fetchPage = async (after: string | null) => {
    const first = p.stopAt && after === null ? 25 : PULLS_PAGE_SIZE;
    const variables = { owner: o.org, name: o.repo, first, after, nested: NESTED_PAGE_SIZE };
    try {
      return { variables, res: await gh.graphql<PullsPageData>(PULLS_QUERY, variables, { cost: pullsPageCost(first) }) };
    } catch (err) {
      throw githubError(err, gh.baseUrl);
    }
  };
  let pending = p.phase === 'pulls' ? fetchPage(cursor) : null;
  while (pending) {
    const { variables, res } = await pending;
    pending = null;
    const conn = res.data?.repository?.pullRequests;
    if (!conn) {
      const why = res.errors.map((e) => e.message).join('; ') || 'the repository is not visible to this token';
      await skipNoAccess(db, logger, o.org, o.repo, why);
      return { repoId: null, pulls: 0, skipped: why };
    }
    const pulls = conn.nodes.filter((n): n is GqlPull => n !== null);
    // PRs last updated before the window are fetched (they share the page) but not extracted.
    const inWindow = pulls.filter((n) => n.updatedAt >= o.since);
    const reachedEnd = !conn.pageInfo.hasNextPage || pulls.some((n) => n.updatedAt < o.since || (p.stopAt !== null && n.updatedAt < p.stopAt));
    // The next page is asked for now, so GitHub works on it while this one is stored.
    if (!reachedEnd) {
      pending = fetchPage(conn.pageInfo.endCursor);
      pending.catch(() => {}); // awaited on the next turn; a failure there is reported there.
    }
    const overflow = await fetchOverflow(gh, pulls);
    p.pages++;
    if (typeof conn.totalCount === 'number' && p.stopAt === null) p.total = conn.totalCount;
    p.pulls += inWindow.length;
    for (const n of inWindow) if (p.newest === null || n.updatedAt > p.newest) p.newest = n.updatedAt;
    if (reachedEnd) p.phase = 'comments';
    const packed = await packBody(res.text);
    const ovPacked = await Promise.all(overflow.map((ov) => packBody(ov.text)));
    await yieldToIo();
    await db.transaction().execute(async (trx) => {
      await serializeTransactions(trx);
      const ctx = extractContext(trx, logger, o.botLogins);
      await storeAndExtract(trx, ctx, { source: 'graphql', kind: 'pulls_page', scope, url, request: { variables, since: o.since }, status: 200, body: packed }, { text: res.text, parsed: res.body });
      for (const [i, ov] of overflow.entries()) {
        await storeAndExtract(trx, ctx, { source: 'graphql', kind: 'pull_overflow', scope, url, request: { pullRequestId: ov.pullRequestId }, status: 200, body: ovPacked[i] }, { text: ov.text, parsed: ov.body });
      }
      await save(trx, { cursor: reachedEnd ? null : conn.pageInfo.endCursor });
    });
    o.onPage?.(p);
  }

  // Inline review comments, repo-wide (100 per call), updated since the bookmark or the window start.
  for (let page = p.commentPages + 1; ; ) {
    // The first page waited for, and after it every page already here: one transaction for the
    // lot costs far less than one each (their rows share index pages).
    const batch: { params: Record<string, unknown>; res: RestResult<unknown[]> }[] = [];
    let end = false;
    for (let q = page; batch.length < COMMENT_PAGES_PER_WRITE && (q === page || arrived.has(q)); q++) {
      const got = await commentPage(q);
      if ('err' in got) {
        if (q !== page) break; // handled when it is the first of a batch
        const status = (got.err as { status?: number }).status;
        if (status !== 404 && status !== 403) throw githubError(got.err, gh.baseUrl);
        logger.warn({ repo: `${o.org}/${o.repo}` }, 'cannot list review comments of a repository; skipped them');
        end = true;
        break;
      }
      batch.push(got);
      if (!nextLink(got.res.link)) {
        end = true;
        break;
      }
    }
    if (batch.length > 0) {
      const packed = await Promise.all(batch.map(({ res }) => (res.text === null ? res.data : packBody(res.text))));
      p.commentPages = page + batch.length - 1;
      await yieldToIo();
      await db.transaction().execute(async (trx) => {
        await serializeTransactions(trx);
        const ctx = extractContext(trx, logger, o.botLogins);
        for (const [i, { params, res }] of batch.entries()) {
          const input = { source: 'rest' as const, kind: 'review_comments_page', scope, url: restUrl(gh.baseUrl, '/repos/{owner}/{repo}/pulls/comments', params), request: { params, link: res.link }, status: res.status, etag: res.etag, body: packed[i] };
          await storeAndExtract(trx, ctx, input, { text: res.text ?? JSON.stringify(res.data), parsed: res.data });
        }
        await save(trx, { cursor: null });
      });
      o.onPage?.(p);
    }
    if (end) break;
    // Stored pages are let go (a big repo's answers would otherwise stay in memory to the end).
    for (let q = page; q < page + batch.length; q++) requested.delete(q);
    page += batch.length;
    askAhead();
  }

  const repo = await db.selectFrom('repos').select('id').where('full_name', '=', `${o.org}/${o.repo}`).executeTakeFirst();
  await refreshReviewCommentCounts(db, repo?.id);
  if (repo) await refreshPeopleSeen(db, { repoId: repo.id });
  const newBookmark = [p.stopAt, p.newest].filter((x): x is string => x !== null).sort().pop() ?? null;
  await save(db, { cursor: null, status: 'done', bookmark: newBookmark });
  return { repoId: repo?.id ?? null, pulls: p.pulls };
}

/**
 * A repo the token cannot see is skipped with a warning, and recorded where GET /api/sync and the
 * CLI look, so the skip is seen and not only logged. What earlier syncs stored is kept.
 */
export async function skipNoAccess(db: Db, logger: Logger, org: string, repo: string, why: string): Promise<void> {
  logger.warn({ repo: `${org}/${repo}`, why }, 'no access to a repository; skipped it');
  const row = { status: 'failed' as const, cursor: null, last_error: `Skipped: no access to ${org}/${repo} (${why}). What earlier syncs stored is kept.`, updated_at: new Date().toISOString() };
  await db.insertInto('sync_state').values({ scope: `repo:${org}/${repo}`, ...row }).onConflict((oc) => oc.column('scope').doUpdateSet(row)).execute();
}

/**
 * SQLite work is synchronous: transactions queued behind each other would run back to back
 * without letting the event loop read answers or send the next requests. A turn of the loop
 * before each one keeps the requests flowing.
 */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** For PRs whose nested lists did not fit in the page, the rest of those lists. */
async function fetchOverflow(gh: GithubClient, pulls: GqlPull[]): Promise<{ pullRequestId: number; body: unknown; text: string }[]> {
  const out: { pullRequestId: number; body: unknown; text: string }[] = [];
  for (const pr of pulls) {
    type Info = { hasNextPage: boolean; endCursor: string | null } | undefined;
    let cur: { reviews: Info; comments: Info; timeline: Info } = { reviews: pr.reviews?.pageInfo, comments: pr.comments?.pageInfo, timeline: pr.timelineItems?.pageInfo };
    while (cur.reviews?.hasNextPage || cur.comments?.hasNextPage || cur.timeline?.hasNextPage) {
      const variables = {
        id: pr.id,
        reviews: cur.reviews?.endCursor ?? null,
        comments: cur.comments?.endCursor ?? null,
        timeline: cur.timeline?.endCursor ?? null,
        withReviews: Boolean(cur.reviews?.hasNextPage),
        withComments: Boolean(cur.comments?.hasNextPage),
        withTimeline: Boolean(cur.timeline?.hasNextPage),
      };
      let res: GraphqlResult<PullOverflowData>;
      try {
        res = await gh.graphql<PullOverflowData>(PULL_OVERFLOW_QUERY, variables, { cost: 1 });
      } catch (err) {
        throw githubError(err, gh.baseUrl);
      }
      const prId = dbId(pr);
      if (prId !== null) out.push({ pullRequestId: prId, body: res.body, text: res.text });
      const node = res.data?.node;
      cur = {
        reviews: variables.withReviews ? node?.reviews?.pageInfo : undefined,
        comments: variables.withComments ? node?.comments?.pageInfo : undefined,
        timeline: variables.withTimeline ? node?.timelineItems?.pageInfo : undefined,
      };
      if (!node) break;
    }
  }
  return out;
}
