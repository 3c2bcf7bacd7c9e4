import { createTestDb } from '../tests/harness.ts';
import { generateOrg } from '../simulator/generate/index.ts';
import { loadSimOrgForBench } from '../bench/signals.loader.ts';
import { deriveAll, deriveIncremental } from '../jobs/derive/run.ts';
import { buildReport } from '../server/report.ts';
import SQLite from 'better-sqlite3';
const t = await createTestDb();
const org = generateOrg({ seed: 1, scale: 'medium' });
const s = new SQLite(t.config.dbPath);
loadSimOrgForBench(s, org);
s.close();
await deriveAll(t.db, { now: org.truth.now });
const { Session } = await import('node:inspector/promises');
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.start');
const mode = process.argv[2];
const t0 = Date.now();
if (mode === 'inc') await deriveIncremental(t.db, { since: new Date(Date.parse(org.truth.now) - 86400000).toISOString(), now: org.truth.now });
else if (mode === 'report') { for (let i = 0; i < 5; i++) await buildReport(t.db, { to: org.truth.now }); }
else await deriveAll(t.db, { now: org.truth.now });
console.log(mode, Date.now() - t0);
const { profile } = await session.post('Profiler.stop') as any;
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = profile.timeDeltas; const samples = profile.samples;
const incl = new Map<string, number>();
for (let i = 0; i < samples.length; i++) {
  let id = samples[i]; const seen = new Set<string>();
  while (id !== undefined) { const n: any = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; if (!seen.has(k) && n.callFrame.url.includes('derive') || n.callFrame.url.includes('report')) { if (!seen.has(k)) incl.set(k, (incl.get(k) ?? 0) + (dt[i] ?? 0)); seen.add(k); } id = parent.get(id)!; }
}
console.log([...incl].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / 1000).toFixed(0)}ms ${k}`).join('\n'));
await t.close();
