// The GraphQL queries of the sync. GitHub charges a query by the requests its connections
// imply: each connection costs the product of the `first` values of the connections above it,
// the sum is divided by 100 and rounded, minimum 1 (docs.github.com, "Rate limits and node
// limits for the GraphQL API"). So nested lists have no nested connections under them: one page
// of P pull requests costs 1 + 3·P requests (reviews, comments, timelineItems per PR), and
// inline review comments come from the repo-wide REST list instead (100 per call).

export const PULLS_PAGE_SIZE = 100;
/** Items per nested list; raising these costs nothing (leaf connections), only response size. */
export const NESTED_PAGE_SIZE = 50;

const ACTOR = `fragment Actor on Actor { __typename login ... on User { databaseId name } ... on Bot { databaseId } ... on Mannequin { databaseId } }`;

const REVIEW_FIELDS = `databaseId fullDatabaseId state body submittedAt author { ...Actor }`;
const COMMENT_FIELDS = `databaseId fullDatabaseId body createdAt author { ...Actor }`;
const TIMELINE_FIELDS = `__typename
  ... on ReadyForReviewEvent { createdAt }
  ... on ReviewRequestedEvent { createdAt requestedReviewer { __typename ... on User { login databaseId name } ... on Bot { login databaseId } ... on Mannequin { login databaseId } ... on Team { slug databaseId teamName: name } } }`;

export const PULLS_QUERY = `query RepoPulls($owner: String!, $name: String!, $first: Int!, $after: String, $nested: Int!) {
  rateLimit { cost limit remaining resetAt }
  repository(owner: $owner, name: $name) {
    databaseId
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id databaseId fullDatabaseId number title headRefName state isDraft createdAt updatedAt closedAt mergedAt
        additions deletions changedFiles
        author { ...Actor }
        mergedBy { ...Actor }
        mergeCommit { oid }
        reviews(first: $nested) { pageInfo { hasNextPage endCursor } nodes { ${REVIEW_FIELDS} } }
        comments(first: $nested) { pageInfo { hasNextPage endCursor } nodes { ${COMMENT_FIELDS} } }
        timelineItems(first: $nested, itemTypes: [READY_FOR_REVIEW_EVENT, REVIEW_REQUESTED_EVENT]) { pageInfo { hasNextPage endCursor } nodes { ${TIMELINE_FIELDS} } }
      }
    }
  }
}
${ACTOR}`;

/** The rest of one PR's nested lists, for the rare PR with more than NESTED_PAGE_SIZE of something. */
export const PULL_OVERFLOW_QUERY = `query PullOverflow($id: ID!, $reviews: String, $comments: String, $timeline: String, $withReviews: Boolean!, $withComments: Boolean!, $withTimeline: Boolean!) {
  rateLimit { cost limit remaining resetAt }
  node(id: $id) {
    ... on PullRequest {
      reviews(first: 100, after: $reviews) @include(if: $withReviews) { pageInfo { hasNextPage endCursor } nodes { ${REVIEW_FIELDS} } }
      comments(first: 100, after: $comments) @include(if: $withComments) { pageInfo { hasNextPage endCursor } nodes { ${COMMENT_FIELDS} } }
      timelineItems(first: 100, after: $timeline, itemTypes: [READY_FOR_REVIEW_EVENT, REVIEW_REQUESTED_EVENT]) @include(if: $withTimeline) { pageInfo { hasNextPage endCursor } nodes { ${TIMELINE_FIELDS} } }
    }
  }
}
${ACTOR}`;

/** Points one pulls page costs under GitHub's formula. */
export function pullsPageCost(first: number): number {
  return Math.max(1, Math.round((1 + 3 * first) / 100));
}

/** Most repos checked in one change query: each costs one request, 100 requests are one point. */
export const CHANGES_BATCH = 100;

/**
 * One query asking several repos for their most recently updated PR (aliases r0, r1, …); a repo
 * whose newest updatedAt is past its bookmark has changed. Names go in as JSON string literals.
 */
export function changesQuery(owner: string, names: readonly string[]): string {
  const parts = names.map(
    (n, i) => `r${i}: repository(owner: ${JSON.stringify(owner)}, name: ${JSON.stringify(n)}) { databaseId name pullRequests(first: 1, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { updatedAt } } }`,
  );
  return `query RepoChanges {\n  rateLimit { cost limit remaining resetAt }\n  ${parts.join('\n  ')}\n}`;
}

export function changesCost(count: number): number {
  return Math.max(1, Math.round(count / 100));
}

// Shapes of the answers (only the fields asked for above).
export interface GqlActor {
  __typename: string;
  login: string;
  databaseId?: number | null;
  name?: string | null;
}
export interface GqlPage<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (T | null)[];
}
/** GitHub ids past 2³¹ come only as `fullDatabaseId` (a BigInt, sent as a string); `databaseId` is null then. */
export interface GqlIds {
  databaseId: number | null;
  fullDatabaseId?: string | number | null;
}
export function dbId(x: GqlIds): number | null {
  if (x.fullDatabaseId !== undefined && x.fullDatabaseId !== null) {
    const n = Number(x.fullDatabaseId);
    return Number.isSafeInteger(n) ? n : null;
  }
  return typeof x.databaseId === 'number' ? x.databaseId : null;
}
export interface GqlReview extends GqlIds {
  state: string;
  body: string | null;
  submittedAt: string | null;
  author: GqlActor | null;
}
export interface GqlComment extends GqlIds {
  body: string | null;
  createdAt: string;
  author: GqlActor | null;
}
export interface GqlTimelineItem {
  __typename: string;
  createdAt?: string;
  requestedReviewer?: { __typename: string; login?: string; slug?: string; databaseId?: number | null; name?: string | null; teamName?: string } | null;
}
export interface GqlPull extends GqlIds {
  id: string;
  number: number;
  title: string;
  headRefName: string | null;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  author: GqlActor | null;
  mergedBy: GqlActor | null;
  mergeCommit: { oid: string } | null;
  reviews: GqlPage<GqlReview>;
  comments: GqlPage<GqlComment>;
  timelineItems: GqlPage<GqlTimelineItem>;
}
export interface PullsPageData {
  repository: { databaseId: number | null; pullRequests: GqlPage<GqlPull> & { totalCount?: number } } | null;
}
export interface PullOverflowData {
  node: { reviews?: GqlPage<GqlReview>; comments?: GqlPage<GqlComment>; timelineItems?: GqlPage<GqlTimelineItem> } | null;
}
