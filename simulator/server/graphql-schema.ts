import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildSchema, getNamedType, isCompositeType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { emptyConnection } from './graphql-connection.ts';

let cached: GraphQLSchema | null = null;

/**
 * How a source object serves a field: a value, or a function of the field's arguments.
 * Connections nobody modelled (issues, labels…) are empty rather than errors, as on an org that
 * never used them.
 */
const serveField: GraphQLFieldResolver<unknown, unknown> = (source, args, _ctx, info) => {
  const value = source && typeof source === 'object' ? (source as Record<string, unknown>)[info.fieldName] : undefined;
  // Called on its source: sources may be classes with these as methods.
  if (typeof value === 'function') return (value as (a: unknown) => unknown).call(source, args);
  if (value !== undefined) return value;
  return getNamedType(info.returnType).name.endsWith('Connection') ? emptyConnection() : null;
};

/**
 * GitHub's published GraphQL schema (@octokit/graphql-schema), built once per process, with
 * `serveField` on every field that takes arguments or returns an object. Scalar fields without
 * arguments are plain properties of the sources, which the compiled executor reads directly.
 */
export function githubSchema(): GraphQLSchema {
  if (cached) return cached;
  // The package's exports hide schema.graphql, and importing it parses the 10 MB JSON as well,
  // so the file is found through the module search path instead.
  const dirs = createRequire(import.meta.url).resolve.paths('@octokit/graphql-schema') ?? [];
  const file = dirs.map((d) => join(d, '@octokit/graphql-schema/schema.graphql')).find((f) => existsSync(f));
  if (!file) throw new Error('@octokit/graphql-schema is not installed; run npm install');
  // The SDL is GitHub's own and valid; skipping SDL validation halves the build time.
  const schema = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length > 0 || isCompositeType(getNamedType(field.type))) field.resolve = serveField;
    }
  }
  cached = schema;
  return cached;
}
