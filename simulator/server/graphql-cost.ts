// GitHub's GraphQL cost and node limits, computed from the query before it runs.
// Source: "Rate limits and node limits for the GraphQL API" (docs.github.com/graphql/overview/
// rate-limits-and-node-limits-for-the-graphql-api):
// - every connection needs `first` or `last` (1..100);
// - node count = sum over connections of (first|last × the sizes of the connections above it),
//   at most 500,000;
// - cost = requests needed, i.e. sum over connections of (the product of the sizes of the
//   connections above it), divided by 100 and rounded, at least 1. GitHub's example
//   viewer → repositories(first:100) → issues(first:50) → labels(first:60) is 1 + 100 + 5000
//   requests → 51.01 → 51 points.
import {
  getArgumentValues,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export const NODE_LIMIT = 500_000;
export const MAX_PAGE = 100;

export interface CostError {
  message: string;
  type: string;
  path: string[];
  locations: { line: number; column: number }[];
}

export interface CostResult {
  cost: number;
  nodeCount: number;
  errors: CostError[];
}

export function queryCost(
  schema: GraphQLSchema,
  doc: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): CostResult {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const errors: CostError[] = [];
  let requests = 0;
  let nodeCount = 0;
  let nodeLimitHit = false;

  const walk = (set: SelectionSetNode | undefined, parent: GraphQLCompositeType, multiplier: number, path: string[], seen: Set<string>): void => {
    if (!set) return;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (t && isCompositeType(t)) walk(sel.selectionSet, t, multiplier, path, seen);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value);
        if (!f || seen.has(f.name.value)) continue;
        const t = schema.getType(f.typeCondition.name.value);
        if (t && isCompositeType(t)) walk(f.selectionSet, t, multiplier, path, new Set([...seen, f.name.value]));
        continue;
      }
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const def = parent.getFields()[sel.name.value];
      if (!def) continue;
      const named = getNamedType(def.type);
      const here = [...path, sel.alias?.value ?? sel.name.value];
      if (!isCompositeType(named)) continue;
      if (!named.name.endsWith('Connection') || !def.args.some((a) => a.name === 'first')) {
        walk(sel.selectionSet, named, multiplier, here, seen);
        continue;
      }
      const args = getArgumentValues(def, sel, variables) as { first?: number | null; last?: number | null };
      const size = pageSize(sel, args, selectsNodes(sel.selectionSet, fragments), errors, here);
      requests += multiplier;
      nodeCount += multiplier * size;
      if (nodeCount > NODE_LIMIT && !nodeLimitHit) {
        nodeLimitHit = true;
        errors.push({
          message: `By the time this query traverses to the ${sel.name.value} connection, it is requesting up to ${nodeCount.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${NODE_LIMIT.toLocaleString('en-US')}.`,
          type: 'MAX_NODE_LIMIT_EXCEEDED',
          path: here,
          locations: loc(sel),
        });
      }
      walk(sel.selectionSet, named, multiplier * Math.max(size, 1), here, seen);
    }
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : null;
  if (root) walk(operation.selectionSet, root, 1, [], new Set());
  return { cost: Math.max(1, Math.round(requests / 100)), nodeCount, errors };
}

function pageSize(
  sel: FieldNode,
  args: { first?: number | null; last?: number | null },
  needsBounds: boolean,
  errors: CostError[],
  path: string[],
): number {
  const name = sel.name.value;
  const first = args.first ?? null;
  const last = args.last ?? null;
  for (const [argName, v] of [['first', first], ['last', last]] as const) {
    if (v === null) continue;
    if (v > MAX_PAGE) {
      errors.push({
        message: `Requesting ${v} records on the \`${name}\` connection exceeds the \`${argName}\` limit of ${MAX_PAGE} records.`,
        type: 'EXCESSIVE_PAGINATION',
        path,
        locations: loc(sel),
      });
    } else if (v < 0) {
      errors.push({ message: `\`${argName}\` on the \`${name}\` connection cannot be less than zero.`, type: 'INVALID_PAGINATION', path, locations: loc(sel) });
    }
  }
  if (first === null && last === null) {
    // Asking for totalCount or pageInfo alone needs no bounds; asking for records does.
    if (needsBounds) {
      errors.push({
        message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
        type: 'MISSING_PAGINATION_BOUNDARIES',
        path,
        locations: loc(sel),
      });
    }
    return 0;
  }
  return Math.min(MAX_PAGE, Math.max(0, first ?? last ?? 0));
}

function selectsNodes(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>): boolean {
  if (!set) return false;
  return set.selections.some((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === 'nodes' || s.name.value === 'edges';
    if (s.kind === Kind.INLINE_FRAGMENT) return selectsNodes(s.selectionSet, fragments);
    return selectsNodes(fragments.get(s.name.value)?.selectionSet, fragments);
  });
}

function loc(node: FieldNode): { line: number; column: number }[] {
  const l = node.loc;
  if (!l) return [];
  const before = l.source.body.slice(0, l.start);
  const lines = before.split('\n');
  return [{ line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 }];
}
