import { GitHubGraphQLError } from './graphql-connection.ts';
import { userNode } from './graphql-actors.ts';
import { nodeById, orgNode, repoNode } from './graphql-org.ts';
import { remaining, type BucketState } from './rate-limit.ts';
import { canSee, type SimState } from './state.ts';

export interface RateInfo {
  cost: number;
  nodeCount: number;
  /** The graphql bucket after this query was charged. */
  bucket: BucketState;
}

/** Query root fields. */
export function rootValue(s: SimState, rate: RateInfo): Record<string, unknown> {
  const org = s.index.org.org.login;
  return {
    viewer: () => userNode(s, s.index.viewer),
    organization: (a: { login: string }) => {
      if (a.login.toLowerCase() !== org.toLowerCase()) {
        throw new GitHubGraphQLError(`Could not resolve to an Organization with the login of '${a.login}'.`, 'NOT_FOUND');
      }
      return orgNode(s);
    },
    repository: (a: { owner: string; name: string }) => {
      // A repo the token cannot see answers exactly like one that does not exist.
      const r = a.owner.toLowerCase() === org.toLowerCase() && canSee(s, a.name) ? s.index.repos.get(a.name) : undefined;
      if (!r) throw new GitHubGraphQLError(`Could not resolve to a Repository with the name '${a.owner}/${a.name}'.`, 'NOT_FOUND');
      return repoNode(s, r);
    },
    // An unknown id is a NOT_FOUND error at its own path, beside the nodes that were found.
    node: (a: { id: string }) => nodeById(s, a.id) ?? unknownNode(a.id),
    nodes: (a: { ids: string[] }) => a.ids.map((id) => nodeById(s, id) ?? unknownNode(id)),
    rateLimit: () => ({
      __typename: 'RateLimit',
      cost: rate.cost,
      limit: rate.bucket.limit,
      nodeCount: rate.nodeCount,
      remaining: remaining(rate.bucket),
      resetAt: new Date(rate.bucket.resetAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      used: rate.bucket.used,
    }),
  };
}

function unknownNode(id: string): GitHubGraphQLError {
  return new GitHubGraphQLError(`Could not resolve to a node with the global id of '${id}'`, 'NOT_FOUND');
}
