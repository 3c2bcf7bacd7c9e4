// Validates simulator answers against GitHub's OpenAPI description (@octokit/openapi) with ajv.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, any>;

const dirs = createRequire(import.meta.url).resolve.paths('@octokit/openapi') ?? [];
const specFile = dirs.map((d) => join(d, '@octokit/openapi/generated/api.github.com.json')).find((f) => {
  try {
    readFileSync(f, { flag: 'r' }).subarray(0, 1);
    return true;
  } catch {
    return false;
  }
});
if (!specFile) throw new Error('@octokit/openapi is not installed');
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as Json;

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema({ $id: 'github', components: { schemas: spec.components.schemas } });

// OpenAPI 3.0's `nullable` next to `enum` or without `type` is not something ajv understands;
// spell it out in JSON Schema so GitHub's own nulls validate.
const rewrite = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' ? `github${v}` : rewrite(v);
    if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.nullable === true && out.type === undefined) {
      const { nullable: _n, ...rest } = out;
      return { anyOf: [rest, { type: 'null' }] };
    }
    return out;
  }
  return node;
};
// $refs inside the components point at '#/components/...' of the spec document itself.
ajv.removeSchema('github');
ajv.addSchema({ $id: 'github', components: { schemas: rewrite(spec.components.schemas) } });

const cache = new Map<string, ValidateFunction>();

/** The validator for the `status` answer of `method path` (an OpenAPI path template such as /repos/{owner}/{repo}). */
export function responseValidator(path: string, method = 'get', status = '200'): ValidateFunction {
  const key = `${method} ${path} ${status}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const op = spec.paths[path]?.[method];
  if (!op) throw new Error(`no ${method.toUpperCase()} ${path} in the OpenAPI description`);
  let res = op.responses[status];
  if (!res) throw new Error(`no ${status} answer of ${method.toUpperCase()} ${path} in the OpenAPI description`);
  if (res.$ref) res = spec.components.responses[res.$ref.split('/').pop()];
  const schema = rewrite(res.content['application/json'].schema) as Json;
  const v = ajv.compile(schema);
  cache.set(key, v);
  return v;
}

/** Throws with ajv's messages when `body` does not match the operation's response schema (GET 200 unless told). */
export function expectValidResponse(path: string, body: unknown, method = 'get', status = '200'): void {
  const v = responseValidator(path, method, status);
  if (!v(body)) throw new Error(`${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(v.errors?.slice(0, 5), { separator: '\n' })}`);
}
