import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildSchema, type GraphQLSchema } from 'graphql';

let cached: GraphQLSchema | null = null;

/** GitHub's published GraphQL schema (@octokit/graphql-schema), built once per process. */
export function githubSchema(): GraphQLSchema {
  if (cached) return cached;
  // The package's exports hide schema.graphql, and importing it parses the 10 MB JSON as well,
  // so the file is found through the module search path instead.
  const dirs = createRequire(import.meta.url).resolve.paths('@octokit/graphql-schema') ?? [];
  const file = dirs.map((d) => join(d, '@octokit/graphql-schema/schema.graphql')).find((f) => existsSync(f));
  if (!file) throw new Error('@octokit/graphql-schema is not installed; run npm install');
  // The SDL is GitHub's own and valid; skipping SDL validation halves the build time.
  cached = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
  return cached;
}
