import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildSchema, type GraphQLSchema } from 'graphql';

let cached: GraphQLSchema | null = null;

/** GitHub's published GraphQL schema (@octokit/graphql-schema), built once per process. */
export function githubSchema(): GraphQLSchema {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/graphql-schema/schema.graphql');
  // The SDL is GitHub's own and valid; skipping SDL validation halves the build time.
  cached = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
  return cached;
}
