import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering DESIGN.md draws, held against the code's own imports: data flows one way, the
// read model (server/signals/) is the only thing that answers "what does the window say", and no
// two files import each other, directly or round a circle. Type-only imports count: a cycle of
// types is still two files that cannot be understood apart.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['server', 'jobs', 'cli', 'web/src', 'simulator', 'migrations'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s)?[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...files(path));
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const graph = new Map<string, string[]>();
/** Imports that bring values, not only types (what ends up in a bundle). */
const valueImports = new Map<string, string[]>();
for (const file of SOURCES.flatMap(files)) {
  const text = readFileSync(join(root, file), 'utf8');
  const deps: string[] = [];
  const values: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[2] ?? m[3]!;
    const target = relative('.', normalize(join(dirname(file), spec)));
    if (!/\.(ts|svelte)$/.test(target)) continue;
    deps.push(target);
    if (!m[1]) values.push(target);
  }
  graph.set(file, deps);
  valueImports.set(file, values);
}
const importsOf = (f: string) => graph.get(f) ?? [];

describe('the code’s structure', () => {
  it('has no import cycle anywhere', () => {
    // Tarjan's strongly connected components: any component of two or more files is a cycle.
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of importsOf(v)) {
        if (!graph.has(w)) continue;
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1) cycles.push(scc.sort());
      }
    };
    for (const v of graph.keys()) if (!idx.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });

  it('keeps everything that computes signals out of server/, but for the read model', () => {
    const wrong = [...graph].flatMap(([f, deps]) => (f.startsWith('server/') ? deps.filter((d) => d.startsWith('jobs/derive/')).map((d) => `${f} → ${d}`) : []));
    expect(wrong).toEqual([]);
  });

  it('lets only the composition root and routes that enqueue a job import jobs/', () => {
    // Each of these enqueues (connections, demo, settings, sync) or starts the runner (main).
    const allowed = new Set(['server/main.ts', 'server/routes/connections.routes.ts', 'server/routes/demo.routes.ts', 'server/routes/settings.routes.ts', 'server/routes/sync.routes.ts', 'server/routes/webhooks.routes.ts']);
    const wrong = [...graph].flatMap(([f, deps]) => (f.startsWith('server/') && !allowed.has(f) ? deps.filter((d) => d.startsWith('jobs/')).map((d) => `${f} → ${d}`) : []));
    expect(wrong).toEqual([]);
  });

  it('keeps jobs/ off the routes and the web, and the simulator and migrations off the product', () => {
    const wrong = [...graph].flatMap(([f, deps]) =>
      deps
        .filter(
          (d) =>
            (f.startsWith('jobs/') && (d.startsWith('server/routes/') || d.startsWith('web/') || d === 'server/app.ts')) ||
            (f.startsWith('simulator/') && /^(server|jobs|cli|web)\//.test(d)) ||
            (f.startsWith('migrations/') && !d.startsWith('migrations/')),
        )
        .map((d) => `${f} → ${d}`),
    );
    expect(wrong).toEqual([]);
  });

  it('lets the dashboard reach the server only for types, the shared number format and the periods', () => {
    const shared = new Set(['server/signals/format.ts', 'server/signals/periods.ts']);
    const wrong = [...valueImports].flatMap(([f, deps]) => (f.startsWith('web/') ? deps.filter((d) => !d.startsWith('web/') && !shared.has(d)).map((d) => `${f} → ${d}`) : []));
    expect(wrong).toEqual([]);
  });

  it('reads every window through the read model: routes never scan packs or facts themselves', () => {
    const wrong = [...graph].flatMap(([f]) => {
      if (!f.startsWith('server/routes/')) return [];
      const text = readFileSync(join(root, f), 'utf8');
      return /signal_week_packs|signal_pr_facts|signal_review_facts|contributor_tiers|mentoring_edges/.test(text) ? [f] : [];
    });
    expect(wrong).toEqual([]);
  });
});
