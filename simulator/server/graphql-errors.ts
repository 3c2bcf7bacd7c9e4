// GitHub answers GraphQL problems as `{ errors: [{ message, locations, path?, type?, extensions? }] }`
// with graphql-ruby's wording; these map graphql-js's errors onto that shape and wording.
import type { GraphQLError } from 'graphql';
import { GitHubGraphQLError } from './graphql-connection.ts';

export interface GitHubErrorItem {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  type?: string;
  extensions?: Record<string, unknown>;
}

const TOKENS: Record<string, string> = {
  '{': 'LCURLY', '}': 'RCURLY', '(': 'LPAREN', ')': 'RPAREN', '[': 'LBRACKET', ']': 'RBRACKET',
  ':': 'COLON', '!': 'BANG', $: 'VAR_SIGN', '=': 'EQUALS', '@': 'DIR_SIGN', '|': 'PIPE', '...': 'ELLIPSIS', '&': 'AMP',
};

/** A syntax error as graphql-ruby words it: `Parse error on "}" (RCURLY) at [1, 9]`. */
export function parseError(e: GraphQLError): GitHubErrorItem {
  const at = e.locations?.[0] ?? { line: 1, column: 1 };
  const found = /(?:found|Unexpected) (?:"([^"]*)"|Name "([^"]*)"|<EOF>|(\S+))/.exec(e.message);
  let message: string;
  if (/<EOF>/.test(e.message)) message = 'Unexpected end of document';
  else {
    const token = found?.[1] ?? found?.[2] ?? found?.[3]?.replace(/\.$/, '') ?? '?';
    const kind = TOKENS[token] ?? (/^\d+$/.test(token) ? 'INT' : /^"/.test(token) ? 'STRING' : 'IDENTIFIER');
    message = `Parse error on "${token}" (${kind}) at [${at.line}, ${at.column}]`;
  }
  return { message, locations: [{ line: at.line, column: at.column }] };
}

/** A validation error with GitHub's wording for the common cases. */
export function validationError(e: GraphQLError): GitHubErrorItem {
  const locations = e.locations ? e.locations.map((l) => ({ line: l.line, column: l.column })) : undefined;
  let m = /^Cannot query field "([^"]+)" on type "([^"]+)"/.exec(e.message);
  if (m) return { message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, locations, extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] } };
  m = /^Field "([^"]+)" argument "([^"]+)" of type "[^"]+" is required/.exec(e.message);
  if (m) return { message: `Field '${m[1]}' is missing required arguments: ${m[2]}`, locations, extensions: { code: 'missingRequiredArguments', className: 'Field', name: m[1], arguments: m[2] } };
  m = /^Unknown argument "([^"]+)" on field "(?:[^".]+\.)?([^"]+)"/.exec(e.message);
  if (m) return { message: `Field '${m[2]}' doesn't accept argument '${m[1]}'`, locations, extensions: { code: 'argumentNotAccepted', name: m[2], typeName: 'Field', argumentName: m[1] } };
  return { message: e.message, locations };
}

/** An execution error: graphql-js's path and locations, plus GitHub's `type` when we know it. */
export function executionError(e: GraphQLError): GitHubErrorItem {
  const item: GitHubErrorItem = { message: e.message };
  const original = e.originalError;
  if (original instanceof GitHubGraphQLError) item.type = original.type;
  if (e.path) item.path = [...e.path];
  if (e.locations) item.locations = e.locations.map((l) => ({ line: l.line, column: l.column }));
  return item;
}
