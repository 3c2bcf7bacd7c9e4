// CODEOWNERS as GitHub reads it (docs.github.com, "About code owners"):
// - the first file found of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS is the one in force;
// - each line is a pattern and its owners (@user, @org/team or an e-mail); `#` starts a comment;
// - patterns follow .gitignore rules, except that `!` negation and `[ ]` ranges are not
//   supported, `\#` escapes a leading hash and `docs/*` holds only the files directly in docs/;
// - the last pattern that matches a file wins, and a pattern with no owners leaves it unowned;
// - a line with invalid syntax is skipped (here: kept as a problem with its line number).
// Matching is compiled to regular expressions rather than taken from `ignore` (which the
// CODEOWNERS packages on npm use): gitignore excludes a folder and so everything under it,
// which makes `docs/*` match nested files that GitHub leaves out. The translation follows the
// one of hmarr/codeowners (Go).

import type { CodeownersProblem } from '../../server/db/codeowners.report.ts';

export type { CodeownersProblem };

export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export type OwnerKind = 'user' | 'team' | 'email';

export interface CodeownersRule {
  line: number;
  pattern: string;
  /** As written (`@jane`, `@acme/platform`, `jane@acme.com`), in order. */
  owners: string[];
  matches: (path: string) => boolean;
}


export interface Codeowners {
  path: string;
  rules: CodeownersRule[];
  problems: CodeownersProblem[];
}

/** The CODEOWNERS file GitHub uses among the files of a revision, or null. */
export function codeownersPath(files: Iterable<string>): string | null {
  const present = new Set(files);
  return CODEOWNERS_PATHS.find((p) => present.has(p)) ?? null;
}

const USER = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function ownerKind(owner: string): OwnerKind | null {
  if (TEAM.test(owner)) return 'team';
  if (USER.test(owner) && !owner.endsWith('-')) return 'user';
  if (EMAIL.test(owner)) return 'email';
  return null;
}

export function parseCodeowners(text: string, path: string): Codeowners {
  const rules: CodeownersRule[] = [];
  const problems: CodeownersProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const tokens = tokenize(raw);
    if (tokens.length === 0) return;
    const [pattern, ...owners] = tokens as [string, ...string[]];
    const problem = patternProblem(pattern) ?? ownersProblem(owners);
    if (problem) {
      problems.push({ line, text: raw.trim(), problem });
      return;
    }
    rules.push({ line, pattern, owners, matches: compilePattern(pattern) });
  });
  return { path, rules, problems };
}

/** The rule in force for `file`: the last one whose pattern matches it. */
export function ruleFor(rules: readonly CodeownersRule[], file: string): CodeownersRule | null {
  for (let i = rules.length - 1; i >= 0; i--) if (rules[i]!.matches(file)) return rules[i]!;
  return null;
}

/** Splits on unescaped whitespace, drops a comment (an unescaped `#` starting a token). */
function tokenize(raw: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let inToken = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\' && i + 1 < raw.length) {
      const next = raw[++i]!;
      cur += next === ' ' || next === '#' || next === '\t' ? next : `\\${next}`;
      inToken = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inToken) tokens.push(cur);
      cur = '';
      inToken = false;
    } else if (ch === '#' && !inToken) {
      break;
    } else {
      cur += ch;
      inToken = true;
    }
  }
  if (inToken) tokens.push(cur);
  return tokens;
}

function patternProblem(pattern: string): string | null {
  if (pattern.startsWith('!')) return `"${pattern}": negation with "!" is not supported in CODEOWNERS`;
  if (/[[\]]/.test(pattern)) return `"${pattern}": character ranges with "[ ]" are not supported in CODEOWNERS`;
  if (pattern.includes('***')) return `"${pattern}": "***" is not a valid wildcard`;
  return null;
}

function ownersProblem(owners: readonly string[]): string | null {
  const bad = owners.filter((o) => ownerKind(o) === null);
  if (bad.length === 0) return null;
  return `${bad.map((o) => `"${o}"`).join(', ')} ${bad.length === 1 ? 'is not an owner' : 'are not owners'}: write @user, @org/team or an e-mail address`;
}

/** A gitignore-style pattern as a test on repository paths (no leading slash). */
export function compilePattern(pattern: string): (path: string) => boolean {
  let p = pattern.replace(/\\(.)/g, '$1');
  const anchoredStart = p.startsWith('/');
  if (anchoredStart) p = p.slice(1);
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.replace(/\/+$/, '');
  const segs = p.split('/').filter((s) => s !== '');
  if (segs.length === 0) return () => true; // "/" alone: the whole repository
  // A slash anywhere but at the end anchors the pattern to the root, as in .gitignore.
  const anchored = anchoredStart || segs.length > 1;
  let re = anchored ? '^' : '^(?:.*/)?';
  segs.forEach((s, i) => {
    const last = i === segs.length - 1;
    if (s === '**') re += last ? '.*' : '(?:[^/]*/)*';
    else re += segment(s) + (last ? '' : '/');
  });
  const lastSeg = segs[segs.length - 1]!;
  if (lastSeg === '**') re += '$';
  else if (dirOnly) re += '/.*$';
  else if (lastSeg === '*' && segs.length > 1) re += '$'; // `docs/*`: direct children only
  else re += '(?:/.*)?$';
  const rx = new RegExp(re);
  return (path) => rx.test(path);
}

function segment(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}
