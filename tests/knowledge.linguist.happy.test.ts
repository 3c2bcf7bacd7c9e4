import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import linguist from 'linguist-js';
import { tempDir } from './harness.ts';
import { buildRepo } from './knowledge.fixture.ts';
import { alternation, classifyFiles, GENERATED_BY_NAME, type AttributesFile, type Exclusion } from '../jobs/git/linguist.ts';
import { LINGUIST_DATA } from '../jobs/git/linguist.data.ts';
import { buildLinguistData } from '../jobs/git/linguist.data.build.ts';
import { analyseLocalRepository } from '../jobs/git/knowledge.local.ts';

// The path-only classifier against linguist-js's own folder mode (offline data) on checked-out
// trees of many file kinds. linguist-js sorts every file into: listed (a language), unplaced
// (null: no language) or absent (vendored, documentation, generated, or binary). The classifier
// must put every file in the same bucket, except the files listed in CONTENT_DECIDES.

const requireLinguist = createRequire(createRequire(import.meta.url).resolve('linguist-js'));
const loadData = requireLinguist('./helpers/load-data.js') as { parseGeneratedDataFile: (text: string) => string[] };
const yaml = requireLinguist('js-yaml') as { load: (text: string) => unknown };

type Bucket = 'listed' | 'unplaced' | 'absent';

/** Runs linguist-js on `dir` as `linguist --analyze --offline` does; paths relative to `dir`. */
async function folderMode(dir: string, { generatedRules }: { generatedRules: boolean }): Promise<Map<string, Bucket>> {
  const original = loadData.parseGeneratedDataFile;
  // linguist-js 2.9's offline generated.rb is a YAML list its own parser reads as empty, so as
  // shipped, folder mode drops no generated file (package-lock.json, Cargo.lock, __generated__/).
  // GitHub Linguist does drop them; the reference reads the list as the YAML it is.
  if (generatedRules) loadData.parseGeneratedDataFile = (text) => (yaml.load(text) as string[] | null) ?? [];
  try {
    const out = await linguist(dir, { offline: true, calculateLines: false });
    const buckets = new Map<string, Bucket>();
    for (const [file, lang] of Object.entries(out.files.results)) buckets.set(file.slice(dir.length + 1), lang ? 'listed' : 'unplaced');
    return buckets;
  } finally {
    loadData.parseGeneratedDataFile = original;
  }
}

const bucketOf = (reason: Exclusion | undefined): Bucket => (reason === undefined ? 'listed' : reason === 'no language' ? 'unplaced' : 'absent');

function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
}

/** Files of many kinds; each first line is plain text (no shebang, no modeline). */
const TREE: Record<string, string> = {
  // source in many languages
  'src/main.ts': 'export const a = 1;\n',
  'src/app.tsx': 'export const App = () => null;\n',
  'src/util.js': 'module.exports = {};\n',
  'src/index.mjs': 'export default 1;\n',
  'src/Legacy.JS': 'var legacy = 1;\n',
  'src/app.spec.ts': 'it("works", () => {});\n',
  'src/view.blade.php': '<div>{{ $x }}</div>\n',
  'lib/server.go': 'package lib\n',
  'lib/a.py': 'import os\n',
  'lib/b.rb': 'class B; end\n',
  'lib/c.rs': 'fn main() {}\n',
  'lib/d.java': 'class D {}\n',
  'lib/e.kt': 'class E\n',
  'lib/f.swift': 'let f = 1\n',
  'lib/g.c': '#include <stdio.h>\n',
  'lib/g.h': 'int g(void);\n',
  'lib/h.cpp': '#include <vector>\n',
  'lib/i.cs': 'class I {}\n',
  'lib/j.php': '<?php echo 1;\n',
  'lib/k.scala': 'object K\n',
  'lib/l.ex': 'defmodule L do end\n',
  'lib/m.hs': 'main = pure ()\n',
  'lib/n.lua': 'local n = 1\n',
  'lib/o.sh': 'echo o\n',
  'lib/p.pl': 'print "p";\n',
  'lib/t.m': '@interface T\n',
  'lib/u.sql': 'SELECT 1;\n',
  'lib/v.tf': 'resource "x" "y" {}\n',
  'lib/w.proto': 'package w;\n',
  'lib/x.graphql': 'type Query { a: Int }\n',
  'web/index.html': '<!doctype html>\n',
  'web/style.css': 'body { margin: 0 }\n',
  'web/style.scss': '$a: 1;\n',
  'web/App.vue': '<template></template>\n',
  'web/Comp.svelte': '<script></script>\n',
  'web/icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
  'notebooks/analysis.ipynb': '{"cells": []}\n',
  // data files: listed by Linguist, dropped by Guidepost until now
  'config/app.json': '{"a": 1}\n',
  'config/app.yaml': 'a: 1\n',
  'config/app.yml': 'b: 2\n',
  'config/app.xml': '<a/>\n',
  'config/settings.toml': 'a = 1\n',
  'config/app.ini': '[a]\n',
  'config/app.properties': 'a=1\n',
  'config/app.cfg': '[a]\n',
  'data/table.csv': 'a,b\n1,2\n',
  'data/list.tsv': 'a\tb\n',
  'pom.xml': '<project/>\n',
  'package.json': '{"name": "x"}\n',
  'tsconfig.json': '{}\n',
  'composer.json': '{}\n',
  'Cargo.toml': '[package]\n',
  'go.mod': 'module x\n',
  'go.sum': 'x v1 h1:abc\n',
  'requirements.txt': 'requests\n',
  'yarn.lock': '# yarn lockfile v1\n',
  '.editorconfig': 'root = true\n',
  '.babelrc': '{}\n',
  '.npmrc': 'save-exact=true\n',
  '.dockerignore': 'node_modules\n',
  '.env': 'A=1\n',
  '.bashrc': 'export A=1\n',
  // prose outside documentation folders: listed
  'notes/design.md': '# Design\n',
  'notes/todo.txt': 'todo\n',
  'notes/guide.rst': 'Guide\n',
  // documentation
  'README.md': '# x\n',
  'README.MD.bak': 'old\n',
  'CHANGELOG.md': '# Changes\n',
  'CONTRIBUTING.md': '# Contributing\n',
  'LICENSE': 'MIT\n',
  'docs/guide.md': '# Guide\n',
  'docs/api/index.html': '<html></html>\n',
  'docs/conf.py': 'project = "x"\n',
  'man/tool.1': '.TH TOOL 1\n',
  'examples/demo.py': 'print(1)\n',
  'samples/s.json': '{}\n',
  // vendored
  'vendor/lib.js': 'var v = 1;\n',
  'vendor/github.com/x/y/z.go': 'package y\n',
  'node_modules/pkg/index.js': 'module.exports = 1;\n',
  'node_modules/pkg/package.json': '{}\n',
  'third_party/zlib/inflate.c': 'int inflate;\n',
  'third-party/x.py': 'x = 1\n',
  'src/types.d.ts': 'declare const x: number;\n',
  'web/jquery-3.6.0.min.js': 'var jq;\n',
  'web/app.min.js': 'var a;\n',
  'web/app.min.css': 'a{}\n',
  'web/bootstrap.css': 'a{}\n',
  'dist/bundle.js': 'var b;\n',
  'pkg/dist/index.js': 'var d;\n',
  'cache/x.json': '{}\n',
  'testdata/in.json': '{}\n',
  'test/fixtures/sample.json': '{}\n',
  '.github/workflows/ci.yml': 'on: push\n',
  '.vscode/settings.json': '{}\n',
  '.gitattributes': '',
  '.gitmodules': '[submodule "x"]\n',
  'gradlew': 'echo gradle\n',
  'Jenkinsfile': 'pipeline {}\n',
  'Vagrantfile': 'Vagrant.configure("2")\n',
  'configure': 'echo configure\n',
  // generated, by linguist-js's path rules
  'package-lock.json': '{}\n',
  'pnpm-lock.yaml': 'lockfileVersion: 6\n',
  'Cargo.lock': '[[package]]\n',
  'composer.lock': '{}\n',
  'poetry.lock': '[[package]]\n',
  'src/__generated__/graphql.ts': 'export type A = 1;\n',
  'Form1.Designer.cs': 'partial class Form1 {}\n',
  '.idea/workspace.xml': '<project/>\n',
  // binary by name
  'assets/logo.png': 'png',
  'assets/font.woff2': 'woff',
  'assets/app.exe': 'exe',
  'assets/archive.tar.gz': 'gz',
  'src/__snapshots__/app.test.ts.snap': 'exports[`a`] = 1;\n',
  // no language: unknown names and extensions
  'data/blob.xyz123': 'blob\n',
  'tools/build-helper': 'plain text, no shebang\n',
  'OWNERS': 'amy\n',
  '.prettierrc': '{}\n',
  '.nvmrc': '20\n',
  'server.log': 'started\n',
  // whole names Linguist knows
  'Dockerfile': 'FROM node:20\n',
  'Makefile': 'all:\n',
  'CMakeLists.txt': 'project(x)\n',
  'Gemfile': 'source "https://rubygems.org"\n',
  'Rakefile': 'task :a\n',
  'Procfile': 'web: node x.js\n',
  'BUILD': 'cc_library(name = "x")\n',
  'app/.zshrc': 'export B=1\n',
  // a .gitignore that ignores no file of the tree (linguist-js's walk applies it; Linguist does not)
  '.gitignore': '/not-in-this-tree/\n',
};

/**
 * Files whose bucket depends on content, with what each side says and why. Kept out of the
 * agreement check; each is asserted to differ exactly as written, so the list stays true.
 */
const CONTENT_DECIDES: Record<string, { content: string | Buffer; folderMode: Bucket; classifier: Bucket; why: string }> = {
  'bin/deploy': {
    content: '#!/usr/bin/env bash\necho deploy\n',
    folderMode: 'listed',
    classifier: 'unplaced',
    why: 'no extension: the shebang names the language (Shell), and a path has no first line',
  },
  'scripts/serve': {
    content: '#!/usr/bin/env node\nrequire("./x");\n',
    folderMode: 'listed',
    classifier: 'unplaced',
    why: 'no extension: the shebang names the language (JavaScript)',
  },
  'conf/settings': {
    content: '# -*- mode: python -*-\nDEBUG = True\n',
    folderMode: 'listed',
    classifier: 'unplaced',
    why: 'no extension: an Emacs modeline names the language (Python)',
  },
  'data/dump.csv': {
    content: Buffer.from([0, 1, 2, 3, 0, 255, 254, 0, 10]),
    folderMode: 'absent',
    classifier: 'listed',
    why: 'binary bytes under a text name: linguist-js skips binary content; by name it is CSV',
  },
  'api/service.pb.go': {
    content: '// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\n',
    folderMode: 'listed',
    classifier: 'absent',
    why: "GitHub Linguist marks it generated by its header (generated_go); linguist-js has no content rules; the classifier trusts protoc's name",
  },
  'api/service_pb2.py': {
    content: '# Generated by the protocol buffer compiler.  DO NOT EDIT!\nimport x\n',
    folderMode: 'listed',
    classifier: 'absent',
    why: 'GitHub Linguist marks it generated by its header (generated_protocol_buffer); the classifier trusts the name',
  },
  'api/service.pb.h': {
    content: '// Generated by the protocol buffer compiler.  DO NOT EDIT!\n#pragma once\n',
    folderMode: 'listed',
    classifier: 'absent',
    why: 'as service_pb2.py (protoc C++ output)',
  },
  'web/app.js.map': {
    content: '{"version":3,"sources":[]}\n',
    folderMode: 'unplaced',
    classifier: 'absent',
    why: 'GitHub Linguist marks source maps generated (source_map?); linguist-js has no language for .map, so either way it is not listed',
  },
};

describe('the file set Linguist lists, from paths alone, against linguist-js folder mode', () => {
  const tmp = tempDir();
  const tree = join(tmp.dir, 'tree');
  let reference: Map<string, Bucket>;
  let shipped: Map<string, Bucket>;
  let ours: Map<string, Bucket>;
  let reasons: Map<string, Exclusion>;
  const all = [...Object.keys(TREE), ...Object.keys(CONTENT_DECIDES)];

  beforeAll(async () => {
    writeTree(tree, { ...TREE, ...Object.fromEntries(Object.entries(CONTENT_DECIDES).map(([p, c]) => [p, c.content])) });
    reference = await folderMode(tree, { generatedRules: true });
    shipped = await folderMode(tree, { generatedRules: false });
    const c = await classifyFiles(all, [{ dir: '', text: TREE['.gitattributes']! }]);
    reasons = c.excluded;
    ours = new Map(all.map((p) => [p, bucketOf(c.excluded.get(p))]));
  });
  afterAll(() => tmp.cleanup());

  it('keeps its rules in step with the installed linguist-js', () => {
    expect(LINGUIST_DATA).toEqual(buildLinguistData());
  });

  it('puts every file in the bucket linguist-js does', () => {
    const theirs = (p: string) => reference.get(p) ?? 'absent';
    const agreeing = Object.keys(TREE);
    for (const p of agreeing) {
      const first = TREE[p]!.split('\n')[0]!;
      expect(/^#!|-\*-|(syntax|filetype|ft)\s*=/.test(first), `${p} must not carry a shebang or modeline`).toBe(false);
    }
    expect(Object.fromEntries(agreeing.map((p) => [p, ours.get(p)]))).toEqual(Object.fromEntries(agreeing.map((p) => [p, theirs(p)])));
    // Every kind is present, so the check is not vacuous.
    const count = (b: Bucket) => agreeing.filter((p) => theirs(p) === b).length;
    expect(count('listed')).toBeGreaterThan(60);
    expect(count('unplaced')).toBeGreaterThan(4);
    expect(count('absent')).toBeGreaterThan(40);
  });

  it('lists data files, prose outside documentation, and known whole names', () => {
    for (const p of ['config/app.json', 'config/app.yaml', 'config/app.xml', 'config/settings.toml', 'data/table.csv', 'pom.xml', 'package.json', 'go.mod', 'notes/design.md', 'Dockerfile', 'Makefile', '.env']) {
      expect(ours.get(p), p).toBe('listed');
    }
  });

  it('says why a file is left out', () => {
    expect(reasons.get('vendor/lib.js')).toBe('vendored');
    expect(reasons.get('web/app.min.js')).toBe('vendored');
    expect(reasons.get('docs/guide.md')).toBe('documentation');
    expect(reasons.get('README.md')).toBe('documentation');
    expect(reasons.get('package-lock.json')).toBe('generated');
    expect(reasons.get('api/service.pb.go')).toBe('generated');
    expect(reasons.get('assets/logo.png')).toBe('binary');
    expect(reasons.get('OWNERS')).toBe('no language');
  });

  it('differs from linguist-js only where content decides, as listed', () => {
    for (const [p, c] of Object.entries(CONTENT_DECIDES)) {
      expect({ p, folderMode: reference.get(p) ?? 'absent', classifier: ours.get(p) }).toEqual({ p, folderMode: c.folderMode, classifier: c.classifier });
    }
  });

  it('reads the generated rules linguist-js ships but, offline, does not apply', () => {
    // As shipped, offline folder mode differs from the reference exactly on the files the
    // generated.rb path rules match.
    const differ = all.filter((p) => (shipped.get(p) ?? 'absent') !== (reference.get(p) ?? 'absent')).sort();
    const byGeneratedRule = all.filter((p) => LINGUIST_DATA.generated.some((r) => new RegExp(r, 'i').test(p)) && !LINGUIST_DATA.vendored.concat(LINGUIST_DATA.documentation).some((r) => new RegExp(r, 'i').test(p)));
    expect(differ).toEqual(byGeneratedRule.sort());
    expect(differ).toContain('package-lock.json');
  });
});

describe('the path rules, one alternation per list', () => {
  it('matches exactly the paths some pattern of the list matches', () => {
    const lists = [LINGUIST_DATA.vendored, LINGUIST_DATA.documentation, [...LINGUIST_DATA.generated, ...GENERATED_BY_NAME]];
    // Path segments: plain names, and crude literals of every pattern (so most patterns match some).
    const literal = (p: string) => p.replace(/\(\^\|\\?\/\)|\(\?:\^\|\\?\/\)|[\^$()?*+]|\[[^\]]*\]|\\[dws]/g, '').replace(/\\(.)/g, '$1').replace(/\|.*$/, '');
    const words = ['src', 'lib', 'a.ts', 'main.go', 'Docs', 'docs', 'x', 'vendor', 'Vendor', 'github.com', '3rd-party', 'ThirdParty', 'Pods', 'foo.min.js', 'x-min.css', 'jquery-3.6.0.js', 'README.md', 'api.d.ts', 'tests', 'fixtures', 'm.zep.c', 'query-' + 'a'.repeat(64) + '.json', '.sqlx'];
    const segments = [...new Set([...words, ...lists.flat().map(literal).flatMap((l) => l.split('/')).filter(Boolean)])];
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const paths = segments.flatMap((s) => [s, `src/${s}`, `${s}/x.js`]);
    for (let i = 0; i < 20000; i++) paths.push(Array.from({ length: 1 + next(4) }, () => segments[next(segments.length)]).join('/'));
    for (const list of lists) {
      const one = alternation(list);
      const each = list.map((r) => new RegExp(r, 'i'));
      const differ = paths.filter((p) => one.test(p) !== each.some((r) => r.test(p)));
      expect(differ).toEqual([]);
      // Not vacuous: many paths match, many do not.
      expect(paths.filter((p) => one.test(p)).length).toBeGreaterThan(300);
    }
  });

  it('leaves a pattern with a top-level bar, and an unknown start, as it is', () => {
    const re = alternation(['(^|/)aa|bb', '^cc', '(.*?)\\.dd$']);
    expect(['x/aa', 'xbb', 'cc/x', 'y.dd'].map((p) => re.test(p))).toEqual([true, true, true, true]);
    expect(['xaa', 'x/cc', 'y.ddx'].map((p) => re.test(p))).toEqual([false, false, false]);
  });
});

/** `.gitattributes` at the root and in a subfolder, with every linguist-* setting. */
const ATTR_TREE: Record<string, string> = {
  '.gitattributes': [
    'gen/** linguist-generated=true',
    'docs/keep/** linguist-vendored=false',
    'vendor/ours/** -linguist-vendored',
    'examples/** -linguist-documentation',
    'manual/** linguist-documentation',
    'third/** linguist-vendored',
    '*.tmpl linguist-language=Go',
    '*.weird linguist-language=json',
    '*.dat binary',
    'assets/*.png -binary',
    'src/*.data linguist-detectable',
    'lib/*.nolang linguist-language=NoSuchLanguage',
    '',
  ].join('\n'),
  'pkg/.gitattributes': ['*.out linguist-generated', 'keep/* -linguist-generated', ''].join('\n'),
  'gen/api.ts': 'export const a = 1;\n',
  'gen/schema.json': '{}\n',
  'docs/keep/guide.md': '# kept\n',
  'docs/other.md': '# dropped\n',
  'vendor/ours/lib.js': 'var ours;\n',
  'vendor/theirs/lib.js': 'var theirs;\n',
  'examples/demo.py': 'print(1)\n',
  'manual/intro.txt': 'intro\n',
  'manual/tool.py': 'x = 1\n',
  'third/x.c': 'int x;\n',
  'src/page.tmpl': '{{ .X }}\n',
  'src/data.weird': '{}\n',
  'src/table.dat': 'a b\n',
  'src/values.data': 'a b\n',
  'lib/thing.nolang': 'x\n',
  'assets/logo.png': 'png',
  'src/main.ts': 'export {};\n',
  'pkg/report.out': 'out\n',
  'pkg/main.go': 'package pkg\n',
  'pkg/keep/vendor/x.js': 'var x;\n',
  'pkg/sub/node_modules/y.js': 'var y;\n',
  'pkg/x.pb.go': 'package pkg\n',
};

describe('.gitattributes settings, applied as linguist-js applies them', () => {
  const tmp = tempDir();
  const tree = join(tmp.dir, 'tree');
  let reference: Map<string, Bucket>;
  let ours: Map<string, Bucket>;
  const all = Object.keys(ATTR_TREE);

  beforeAll(async () => {
    writeTree(tree, ATTR_TREE);
    reference = await folderMode(tree, { generatedRules: true });
    const attributes: AttributesFile[] = all.filter((p) => p.endsWith('.gitattributes')).map((p) => ({ dir: p.includes('/') ? dirname(p) : '', text: ATTR_TREE[p]! }));
    const c = await classifyFiles(all, attributes);
    ours = new Map(all.map((p) => [p, bucketOf(c.excluded.get(p))]));
  });
  afterAll(() => tmp.cleanup());

  it('agrees on every file', () => {
    // pkg/x.pb.go: the one name rule linguist-js lacks (see CONTENT_DECIDES); not overridden here.
    const theirs = (p: string) => (p === 'pkg/x.pb.go' ? 'absent' : (reference.get(p) ?? 'absent'));
    expect(Object.fromEntries(all.map((p) => [p, ours.get(p)]))).toEqual(Object.fromEntries(all.map((p) => [p, theirs(p)])));
  });

  it('follows the settings', () => {
    expect(ours.get('gen/api.ts')).toBe('absent'); // linguist-generated
    expect(ours.get('docs/keep/guide.md')).toBe('listed'); // documentation folder, but -vendored keeps it
    expect(ours.get('docs/other.md')).toBe('absent');
    expect(ours.get('vendor/ours/lib.js')).toBe('listed');
    expect(ours.get('vendor/theirs/lib.js')).toBe('absent');
    expect(ours.get('examples/demo.py')).toBe('absent'); // -linguist-documentation alone keeps nothing in linguist-js
    expect(ours.get('manual/tool.py')).toBe('absent');
    expect(ours.get('src/page.tmpl')).toBe('listed'); // linguist-language
    expect(ours.get('src/table.dat')).toBe('absent'); // binary
    expect(ours.get('lib/thing.nolang')).toBe('listed'); // linguist-js lists an override even to an unknown language
    expect(ours.get('pkg/report.out')).toBe('absent');
    expect(ours.get('pkg/keep/vendor/x.js')).toBe('listed');
  });
});

describe('knowledge keeps the data files Linguist lists', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('a JSON and a YAML file in the history count in the file set; vendored and docs do not', async () => {
    const dir = join(tmp.dir, 'repo');
    buildRepo(dir, [
      { author: 'Ann <ann@example.com>', date: '2024-01-01T10:00:00Z', add: ['src/a.ts', 'config/app.json', 'README.md', 'vendor/x.js', 'package-lock.json'] },
      { author: 'Ben <ben@example.com>', date: '2024-01-02T10:00:00Z', add: ['deploy/values.yaml', 'docs/guide.md'] },
      { author: 'Ben <ben@example.com>', date: '2024-01-03T10:00:00Z', modify: ['config/app.json'] },
    ]);
    const report = await analyseLocalRepository(dir, { details: true });
    expect([...report.fileAuthors.keys()].sort()).toEqual(['config/app.json', 'deploy/values.yaml', 'src/a.ts']);
    expect(report.excludedFiles).toBe(4);
    const authors = report.details.get('deploy/values.yaml')?.map((a) => a.author) ?? [];
    expect(authors).toHaveLength(1);
    expect(authors[0]).toContain('ben@example.com');
  });
});
