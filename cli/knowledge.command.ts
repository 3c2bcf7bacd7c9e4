import type { Command } from 'commander';
import { plural } from '../server/signals/format.ts';
import { terminalSafe } from './terminal.ts';
import { resolve } from 'node:path';
import { analyseLocalRepository, type LocalKnowledge } from '../jobs/git/knowledge.local.ts';
import { codeownersLines } from './codeowners.text.ts';
import { AppError } from '../server/errors.ts';

export function registerKnowledge(program: Command): void {
  program
    .command('knowledge')
    .description('truck factor, owners, knowledge islands and orphaned areas of any local git repository (no database needed)')
    .argument('<path>', 'a git repository (working tree or bare)')
    .option('--rev <rev>', 'revision to analyse', 'HEAD')
    .option('--json', 'print one JSON object instead of text')
    .option('--top <n>', 'how many owners, islands and orphaned areas to list', '10')
    .action(
      reported(async (path: string, opts: { rev: string; json?: boolean; top: string }) => {
        const top = parseTop(opts.top);
        const report = await analyseLocalRepository(resolve(path), { rev: opts.rev }).catch((err: unknown) => {
          // Its message quotes the path, the revision and git's own words: escape them too.
          throw err instanceof AppError ? new AppError(err.code, field(err.message), { cause: err }) : err;
        });
        process.stdout.write(opts.json ? `${jsonSafe(JSON.stringify(toJson(report), null, 2))}\n` : toText(report, top));
      }),
    );
}

/**
 * common.ts's `action` (an error becomes one line on stderr and exit code 1), loaded only when
 * there is an error to report: it brings the server's config and logger (zod, pino), a tenth of
 * a second of start-up that a successful run does not need.
 */
function reported<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const { action } = await import('./common.ts');
      await action(() => Promise.reject(err))();
    }
  };
}

/** Checked before the analysis, which can take a while on a large history. */
function parseTop(top: string): number {
  const n = /^\d+$/.test(top) ? Number(top) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new AppError('bad_request', `--top must be a positive whole number, like 10 (not ${JSON.stringify(top)}).`);
  return n;
}

function toJson(r: LocalKnowledge) {
  const person = (p: LocalKnowledge['people'][number]) => ({ name: p.name, email: p.email, files: p.files, lastCommitAt: p.lastActivityAt, departed: p.departed });
  const islands = r.directories.filter((d) => d.isIsland);
  return {
    rev: r.rev,
    revDate: r.revDate,
    commits: r.commits,
    files: r.files,
    excludedFiles: r.excludedFiles,
    authors: r.authors,
    truckFactor: r.truckFactor,
    truckFactorAuthors: r.truckFactorAuthors.map((a) => ({ ...person(a), coveredFiles: a.coveredFiles })),
    truckFactorWithoutDeparted: r.truckFactorWithoutDeparted,
    truckFactorWithoutDepartedAuthors: r.truckFactorWithoutDepartedAuthors.map((a) => ({ ...person(a), coveredFiles: a.coveredFiles })),
    owners: r.people.map(person),
    // No review data outside the database: islands here are from authorship alone.
    islandsFrom: 'authorship',
    islands: islands.map((d) => ({ directory: d.directory, owner: nameOf(r, d.soleOwner), files: d.files })),
    // As on the dashboard: each directory holding orphaned files, with only those files counted.
    orphanedAreas: r.directories.filter((d) => d.orphanedFiles > 0).map((d) => ({ directory: d.directory, files: d.orphanedFiles, authors: d.authors.map((a) => nameOf(r, a.author)) })),
    orphanedFiles: r.orphanedFiles,
    // Commit identities taken for one person, each merge with its rule (jobs/git/identity.ts).
    identities: r.identities,
    // CODEOWNERS against authorship (jobs/git/ownership-drift.ts); no teams or reviews here.
    codeowners: r.codeowners,
    directories: r.directories.map((d) => ({
      directory: d.directory,
      files: d.files,
      authors: d.authors.map((a) => ({ name: nameOf(r, a.author), files: a.files })),
      fragmentation: round(d.fragmentation),
      island: d.isIsland,
      orphaned: d.isOrphaned,
    })),
  };
}

function toText(r: LocalKnowledge, top: number): string {
  const lines: string[] = [];
  const who = (p: { name: string; email: string }) => `${field(p.name)} <${field(p.email)}>`;
  lines.push(`Revision ${r.rev.slice(0, 12)} (${r.revDate.slice(0, 10)}), ${r.commits} commits`);
  lines.push(`Code files: ${r.files} (${r.excludedFiles} vendored, generated, documentation or data files left out); authors: ${r.authors}`);
  lines.push('');
  lines.push(`Truck factor: ${r.truckFactor}   (Avelino et al. 2016: authors to remove before over half the files have none)`);
  for (const a of r.truckFactorAuthors) lines.push(`  ${who(a)} authors ${a.coveredFiles.length} files${a.departed ? ' (inactive 90+ days)' : ''}`);
  lines.push(`Truck factor without inactive authors: ${r.truckFactorWithoutDeparted}`);
  lines.push('');
  lines.push('Top owners (files authored):');
  for (const p of r.people.slice(0, top)) lines.push(`  ${String(p.files).padStart(6)}  ${who(p)}${p.departed ? ' (inactive 90+ days)' : ''}`);
  const islands = r.directories.filter((d) => d.isIsland).sort((a, b) => b.files - a.files);
  lines.push('');
  lines.push(`Knowledge islands (one active author, no review data): ${islands.length}`);
  for (const d of islands.slice(0, top)) lines.push(`  ${field(d.directory)}  (${d.files} files)  ${field(nameOf(r, d.soleOwner))}`);
  const orphaned = r.directories.filter((d) => d.orphanedFiles > 0).sort((a, b) => b.orphanedFiles - a.orphanedFiles || a.directory.localeCompare(b.directory));
  lines.push('');
  lines.push(`Orphaned files (every author inactive 90+ days before the revision): ${plural(r.orphanedFiles.length, 'file')} in ${plural(orphaned.length, 'directory', 'directories')}`);
  for (const d of orphaned.slice(0, top)) lines.push(`  ${field(d.directory)}  (${plural(d.orphanedFiles, 'file')})  ${d.authors.map((a) => field(nameOf(r, a.author))).join(', ')}`);
  lines.push('');
  lines.push(`Identities merged into one person: ${r.identities.length} (see --json for every merge and its rule)`);
  for (const m of r.identities.slice(0, top)) lines.push(`  ${field(m.name)}: ${m.members.map(who).join(', ')}  (${[...new Set(m.links.map((l) => l.rule))].join(', ')})`);
  lines.push('', ...codeownersLines(r.codeowners, top, field));
  // Names and paths come from the history: escape control characters before the terminal sees them.
  return `${terminalSafe(lines.join('\n'))}\n`;
}

// Beyond terminalSafe: a newline or tab in a name or path would forge a line of the report, and
// bidirectional overrides reorder what the reader sees; both are shown escaped in one field.
const FIELD_CONTROL = /[\n\t\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function field(text: string): string {
  return terminalSafe(text).replace(FIELD_CONTROL, (ch) => (ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : unicodeEscape(ch)));
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 (a raw CSI is \x9b) and bidi controls as
// they are: written as \u escapes, the JSON means the same and the terminal sees none of them.
function jsonSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, unicodeEscape);
}

function unicodeEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function nameOf(r: LocalKnowledge, key: string | null): string {
  if (key === null) return '';
  return r.people.find((p) => p.key === key)?.name ?? key;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
