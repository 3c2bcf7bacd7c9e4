import type { Command } from 'commander';
import { connectDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { buildReport, reportJson, type Report } from '../server/signals/report.ts';
import { deriveAfterSync, deriveAll } from '../jobs/derive/signals.derive.ts';
import { action, loadConfig, requireDatabaseFile, withDbOptions, type DbOptions } from './common.ts';
import { pct, plural } from '../server/signals/format.ts';
import { terminalSafe } from './terminal.ts';

interface ReportOptions extends DbOptions {
  org?: string;
  from?: string;
  to?: string;
  team?: string;
  repo?: string;
  json?: boolean;
  refresh?: boolean;
}

export function registerReport(program: Command): void {
  withDbOptions(program.command('report'))
    .description('the findings a leader should act on this week (default window: the 90 days ending now)')
    .option('--org <org>', 'organisation to report on (default: the connected one)')
    .option('--from <date>', 'window start, YYYY-MM-DD or ISO-8601 (default: 90 days before --to)')
    .option('--to <date>', 'window end, YYYY-MM-DD (that day included) or ISO-8601 (default: now)')
    .option('--team <slug>', 'only this team')
    .option('--repo <name>', 'only this repository (name or owner/name)')
    .option('--refresh', 'recompute every signal from scratch first (otherwise only what changed since the last run)')
    .option('--json', 'print one JSON object instead of sentences')
    .action(
      action(async (opts: ReportOptions) => {
        const config = loadConfig(opts);
        requireDatabaseFile(config.dbPath, config.databaseUrl);
        const db = await connectDatabase(config);
        try {
          await migrateToLatest(db);
          // Bring signals up to date with whatever the last sync stored (cheap when nothing changed).
          if (opts.refresh) await deriveAll(db);
          else await deriveAfterSync(db);
          const report = await buildReport(db, { org: opts.org, from: opts.from, to: opts.to, team: opts.team, repo: opts.repo });
          const latest = await db.selectFrom('pull_requests').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
          process.stdout.write(opts.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : toText(report, latest?.at ?? null));
        } finally {
          await db.destroy();
        }
      }),
    );
}

function toText(r: Report, latestActivity: string | null): string {
  const scope = [r.org || 'the org', r.team && `team ${r.teamName ?? r.team}`, r.repo && `repo ${r.repo}`].filter(Boolean).join(', ');
  const lines = [`Guidepost report for ${scope}, ${r.from.slice(0, 10)} to ${lastDayOf(r.to)}`, ''];
  if (r.reviews.prs === 0 && r.reviews.reviews === 0) {
    lines.push(
      latestActivity
        ? `No pull requests or reviews in this window. The synced history ends on ${latestActivity.slice(0, 10)}: try --to ${latestActivity.slice(0, 10)}.`
        : 'No pull requests or reviews in this window, and none stored at all. Sync the org first (guidepost sync).',
    );
    return `${terminalSafe(lines.join("\n"))}\n`;
  }
  r.findings.forEach((f, i) => lines.push(`${i + 1}. ${f.text}`));
  lines.push('');
  lines.push(
    `${plural(r.reviews.prs, 'PR')} opened, ${r.reviews.merged} merged (review coverage ${pct(r.reviews.coverage)}), ${plural(r.reviews.reviews, 'review')} by ${plural(r.reviews.activeReviewers, 'person', 'people')}; ` +
      `${plural(r.mentoring.edges.length, 'mentoring pair')}, ${plural(r.mentoring.newcomers.length, 'newcomer')}.`,
  );
  lines.push('Run with --json for every number; formulas are in docs and on each dashboard tile.');
  return `${terminalSafe(lines.join('\n'))}\n`;
}

/** The window's end is exclusive; a midnight end means the day before was the last one included. */
function lastDayOf(to: string): string {
  const t = new Date(to);
  if (t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0 && t.getUTCMilliseconds() === 0) t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}
