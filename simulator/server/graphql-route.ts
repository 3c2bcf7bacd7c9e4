import { Hono } from 'hono';
import { getOperationAST, getVariableValues, GraphQLError, parse, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { queryCost } from './graphql-cost.ts';
import { executionError, parseError, validationError, type GitHubErrorItem } from './graphql-errors.ts';
import { rootValue, type RateInfo } from './graphql-resolvers.ts';
import { githubSchema } from './graphql-schema.ts';
import { primaryLimitMessage, requestId } from './limits.ts';
import { rateHeaders, remaining, type RateLimiter } from './rate-limit.ts';
import type { SimStats } from './stats.ts';
import type { SimState } from './state.ts';

/** POST /graphql: GitHub's schema, validation, cost and node limits, then execution. */
export function graphqlRoutes(state: SimState, limiter: RateLimiter, stats: SimStats): Hono {
  const app = new Hono();
  // Built now rather than inside the first query, which would otherwise wait for it.
  githubSchema();
  // A client sends the same few queries again and again: each is parsed, validated and compiled
  // once (graphql-jit turns a query into a function; GitHub's own server is far faster than
  // graphql-js walking every field, and the simulator's CPU would otherwise be in every benchmark).
  const documents = new Map<string, { doc: DocumentNode; invalid: readonly GraphQLError[]; compiled: Map<string, CompiledQuery | ExecutionResult> }>();
  app.post('/graphql', async (c) => {
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = (await c.req.json()) as typeof body;
    } catch {
      return c.json({ message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql', status: '400' }, 400);
    }
    const errors = (items: GitHubErrorItem[]) => c.json({ errors: items }, 200, rateHeaders(limiter.peek(state.token, 'graphql'), 'graphql'));
    if (typeof body?.query !== 'string' || body.query.trim() === '') {
      return errors([{ message: 'A query attribute must be specified and must be a string.' }]);
    }
    const schema = githubSchema();
    let checked = documents.get(body.query);
    if (!checked) {
      try {
        const doc = parse(body.query);
        checked = { doc, invalid: validate(schema, doc), compiled: new Map() };
      } catch (e) {
        if (e instanceof GraphQLError) return errors([parseError(e)]);
        throw e;
      }
      if (documents.size >= 200) documents.delete(documents.keys().next().value!);
      documents.set(body.query, checked);
    }
    const { doc, invalid } = checked;
    if (invalid.length > 0) return errors(invalid.map(validationError));
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const operation = getOperationAST(doc, operationName);
    if (!operation) return errors([{ message: operationName ? `No operation named "${operationName}"` : 'An operation name is required' }]);
    if (operation.operation !== 'query') {
      return errors([{ message: 'The simulated GitHub serves queries only; mutations and subscriptions are not available.', type: 'FORBIDDEN' }]);
    }
    const rawVars = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVars);
    if (coerced.errors) return errors(coerced.errors.map(validationError));

    const cost = queryCost(schema, doc, operation, coerced.coerced);
    if (cost.errors.length > 0) return errors(cost.errors);

    const before = limiter.peek(state.token, 'graphql');
    if (remaining(before) < cost.cost) {
      if (remaining(before) === 0) stats.overLimit += 1;
      stats.rejectedForLimit += 1;
      return c.json(
        { errors: [{ type: 'RATE_LIMITED', code: 'graphql_rate_limit', message: primaryLimitMessage(state, requestId()) }] },
        200,
        { ...rateHeaders({ ...before, used: before.limit }, 'graphql') },
      );
    }
    const after = limiter.charge(state.token, 'graphql', cost.cost);
    stats.pointsCharged += cost.cost;
    const rate: RateInfo = { cost: cost.cost, nodeCount: cost.nodeCount, bucket: after };

    let compiled = checked.compiled.get(operationName ?? '');
    if (!compiled) {
      compiled = compileQuery(schema, doc, operationName);
      checked.compiled.set(operationName ?? '', compiled);
    }
    const result = isCompiledQuery(compiled) ? await compiled.query(rootValue(state, rate), null, rawVars) : compiled;
    const out: { data?: unknown; errors?: GitHubErrorItem[] } = { data: result.data ?? null };
    if (result.errors?.length) out.errors = result.errors.map(executionError);
    return c.json(out, 200, rateHeaders(after, 'graphql'));
  });
  return app;
}
