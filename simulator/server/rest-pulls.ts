import { Hono, type Context } from 'hono';
import type { SimIssueComment, SimPull, SimReviewComment } from '../model.ts';
import { teamObject } from './payloads-repos.ts';
import { commitObject, issueCommentObject, pullFull, pullSimple, reviewCommentObject, reviewObject } from './payloads-pulls.ts';
import { simpleUser } from './payloads-users.ts';
import { memo } from './memo.ts';
import { jsonWithEtag, notFound, pagedJson } from './rest-http.ts';
import { canSee, shaOf, type SimState } from './state.ts';

/** /repos/{owner}/{repo}/pulls… and the repo-wide comment lists. */
export function pullRoutes(state: SimState): Hono {
  const app = new Hono();

  const repoPulls = (c: Context): SimPull[] | null => {
    if (c.req.param('owner')?.toLowerCase() !== state.index.org.org.login.toLowerCase()) return null;
    if (!canSee(state, c.req.param('repo') ?? '')) return null;
    return state.index.pullsByRepo.get(c.req.param('repo') ?? '') ?? null;
  };
  const onePull = (c: Context): SimPull | null => {
    if (repoPulls(c) === null) return null;
    return state.index.pull.get(c.req.param('repo') ?? '')?.get(Number(c.req.param('n'))) ?? null;
  };

  app.get('/repos/:owner/:repo/pulls', (c) => {
    const pulls = repoPulls(c);
    if (!pulls) return notFound(c);
    const st = c.req.query('state') ?? 'open';
    const sort = c.req.query('sort') ?? 'created';
    const direction = c.req.query('direction') ?? 'desc';
    const base = c.req.query('base');
    const chosen = pulls.filter(
      (p) => (st === 'all' || (st === 'open') === (p.closedAt === null)) && (base === undefined || p.baseRef === base),
    );
    const key = (p: SimPull) => (sort === 'updated' ? p.updatedAt : p.createdAt);
    chosen.sort((a, b) => {
      const d = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number;
      return direction === 'asc' ? d : -d;
    });
    return pagedJson(c, chosen, (p) => pullSimple(state, p));
  });

  // Repo-wide lists come before /pulls/:n so "comments" is never read as a number.
  app.get('/repos/:owner/:repo/pulls/comments', (c) => {
    const pulls = repoPulls(c);
    if (!pulls) return notFound(c);
    const since = c.req.query('since');
    const all = memo(reviewCommentLists, pulls, commentOrder(c), () => {
      const list = pulls.flatMap((p) => p.reviewComments.map((rc) => ({ p, rc })));
      sortComments(list, c, (x) => x.rc);
      return list;
    });
    const chosen = since === undefined ? all : all.filter(({ rc }) => rc.updatedAt >= since);
    return pagedJson(c, chosen, ({ p, rc }) => reviewCommentObject(state, p, rc));
  });

  app.get('/repos/:owner/:repo/issues/comments', (c) => {
    const pulls = repoPulls(c);
    if (!pulls) return notFound(c);
    const since = c.req.query('since');
    const all = memo(issueCommentLists, pulls, commentOrder(c), () => {
      const list = pulls.flatMap((p) => p.issueComments.map((ic) => ({ p, ic })));
      sortComments(list, c, (x) => x.ic);
      return list;
    });
    const chosen = since === undefined ? all : all.filter(({ ic }) => ic.updatedAt >= since);
    return pagedJson(c, chosen, ({ p, ic }) => issueCommentObject(state, p, ic));
  });

  app.get('/repos/:owner/:repo/pulls/:n{[0-9]+}', (c) => {
    const p = onePull(c);
    return p ? jsonWithEtag(c, pullFull(state, p)) : notFound(c);
  });

  app.get('/repos/:owner/:repo/pulls/:n{[0-9]+}/reviews', (c) => {
    const p = onePull(c);
    if (!p) return notFound(c);
    const reviews = [...p.reviews].sort((a, b) => a.id - b.id);
    return pagedJson(c, reviews, (r) => reviewObject(state, p, r));
  });

  app.get('/repos/:owner/:repo/pulls/:n{[0-9]+}/comments', (c) => {
    const p = onePull(c);
    if (!p) return notFound(c);
    const comments = [...p.reviewComments].sort((a, b) => a.id - b.id);
    return pagedJson(c, comments, (rc) => reviewCommentObject(state, p, rc));
  });

  app.get('/repos/:owner/:repo/pulls/:n{[0-9]+}/requested_reviewers', (c) => {
    const p = onePull(c);
    if (!p) return notFound(c);
    const pending = p.reviewRequests.filter((r) => r.pending);
    return jsonWithEtag(c, {
      users: pending.filter((r) => r.reviewer !== null).map((r) => simpleUser(state, r.reviewer)),
      teams: pending.flatMap((r) => {
        const t = r.team === null ? undefined : state.index.teams.get(r.team);
        return t ? [teamObject(state, t)] : [];
      }),
    });
  });

  app.get('/repos/:owner/:repo/pulls/:n{[0-9]+}/commits', (c) => {
    const p = onePull(c);
    if (!p) return notFound(c);
    // GitHub lists at most 250 commits here.
    const ids = p.commitIds.slice(0, 250).map((id, i, all) => ({ id, parent: i > 0 ? all[i - 1]! : null }));
    return pagedJson(c, ids, ({ id, parent }) => commitObject(state, p, id, parent === null ? null : shaOf(state, p.repo, parent)));
  });

  return app;
}

// A client pages through a repo-wide comment list, so it is gathered and sorted once per order.
// Keyed by the repo's PR list, which is rebuilt (dropping these) when the org evolves.
const reviewCommentLists = new WeakMap<SimPull[], Map<string, { p: SimPull; rc: SimReviewComment }[]>>();
const issueCommentLists = new WeakMap<SimPull[], Map<string, { p: SimPull; ic: SimIssueComment }[]>>();

const commentOrder = (c: Context) => `${c.req.query('sort') ?? 'created'} ${c.req.query('direction') ?? 'asc'}`;

/** GitHub sorts repo-wide comment lists by creation, ascending, unless asked otherwise. */
function sortComments<T>(list: T[], c: Context, get: (x: T) => { id: number; createdAt: string; updatedAt: string }): void {
  const sort = c.req.query('sort') ?? 'created';
  const direction = c.req.query('direction') ?? 'asc';
  list.sort((x, y) => {
    const a = get(x);
    const b = get(y);
    const ka = sort === 'updated' ? a.updatedAt : a.createdAt;
    const kb = sort === 'updated' ? b.updatedAt : b.createdAt;
    const d = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
    return direction === 'desc' ? -d : d;
  });
}
