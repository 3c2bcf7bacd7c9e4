// Relay connections the way GitHub serves them: opaque base64 cursors, first/last/after/before.

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  skip?: number | null;
}

/** An error GitHub reports with a top-level `type` (NOT_FOUND, INVALID_CURSOR_ARGUMENTS…). */
export class GitHubGraphQLError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

export const cursorOf = (i: number): string => Buffer.from(`cursor:v2:${i}`).toString('base64');

function decode(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new GitHubGraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, 'INVALID_CURSOR_ARGUMENTS');
  return Number(m[1]);
}

export interface Connection {
  totalCount: number;
  nodes: unknown[];
  edges: { cursor: string; node: unknown }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Pages `items` (already filtered and ordered) and maps only the page to GraphQL sources. */
export function connection<T>(items: T[], args: ConnectionArgs, map: (item: T) => unknown, extra: Record<string, unknown> = {}): Connection {
  const lower = args.after ? decode(args.after) + 1 : 0;
  const upper = args.before ? Math.min(items.length, decode(args.before)) : items.length;
  let start = Math.min(lower + (args.skip ?? 0), upper);
  let end = upper;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const page = items.slice(start, end);
  const nodes = page.map(map);
  return {
    ...extra,
    totalCount: items.length,
    nodes,
    edges: nodes.map((node, i) => ({ cursor: cursorOf(start + i), node })),
    pageInfo: {
      hasNextPage: end < upper,
      hasPreviousPage: start > lower,
      startCursor: page.length > 0 ? cursorOf(start) : null,
      endCursor: page.length > 0 ? cursorOf(end - 1) : null,
    },
  };
}

export const emptyConnection = (): Connection => connection([], {}, (x) => x);
