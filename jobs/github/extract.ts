import type { Db } from '../../server/db/connect.ts';
import type { Logger } from '../../server/logger.ts';
import { redactSecrets } from '../../server/logger.ts';
import { extractMembersPage, extractReposPage, extractTeamMembersPage, extractTeamsPage, type ExtractContext, type RawRow } from './org.extract.ts';
import { createPeopleWriter, DEFAULT_BOT_LOGINS, refreshPeopleSeen } from './people.extract.ts';
import { extractPullOverflow, extractPullsPage } from './pulls.extract.ts';
import { extractReviewCommentsPage, refreshReviewCommentCounts } from './review-comments.extract.ts';
import { rawBodyText, storeRaw, type RawInput } from './raw.collect.ts';
import { WEBHOOK_EXTRACTORS } from './webhook.extract.ts';
import { isolated, serializeTransactions } from '../../server/db/dialect.ts';

// Which extractor reads which kind of raw row. Kinds without an extractor (org profile, change
// checks, push deliveries) are kept for the record only. Webhook deliveries replay
// in the order they arrived among the sync's answers, so the newest word on each thing wins.
const EXTRACTORS: Record<string, (db: Db, raw: RawRow, ctx: ExtractContext) => Promise<void>> = {
  repos_page: extractReposPage,
  members_page: extractMembersPage,
  teams_page: extractTeamsPage,
  team_members_page: extractTeamMembersPage,
  pulls_page: extractPullsPage,
  pull_overflow: extractPullOverflow,
  review_comments_page: extractReviewCommentsPage,
  ...WEBHOOK_EXTRACTORS,
};

export function extractContext(db: Db, logger: Logger, botLogins: readonly string[] = DEFAULT_BOT_LOGINS): ExtractContext & { failures: () => number } {
  let failures = 0;
  return {
    people: createPeopleWriter(db),
    botLogins,
    onRowError(rawId, what, err) {
      failures++;
      logger.warn({ rawId, what, err: redactSecrets(err instanceof Error ? err.message : String(err)) }, 'could not extract a row; skipped it');
    },
    failures: () => failures,
  };
}

/** Turns one raw row into domain rows. A payload that is not even JSON fails alone, logged with its raw id. */
export async function extractRaw(db: Db, raw: RawRow, ctx: ExtractContext): Promise<void> {
  const fn = EXTRACTORS[raw.kind];
  if (!fn) return;
  try {
    await isolated(db, () => fn(db, raw, ctx));
  } catch (err) {
    ctx.onRowError(raw.id, raw.kind, err);
  }
}

/**
 * Stores an answer and extracts it in the caller's transaction. `answer` is the body as GitHub
 * sent it and already parsed; `r.body` is what is stored (packBody's output, or the text).
 */
export async function storeAndExtract(trx: Db, ctx: ExtractContext, r: RawInput, answer: { text: string; parsed: unknown }): Promise<number> {
  const id = await storeRaw(trx, r);
  await extractRaw(trx, { id, kind: r.kind, scope: r.scope, url: r.url, request: JSON.stringify(r.request), body: answer.text, parsed: answer.parsed }, ctx);
  return id;
}

/**
 * Rebuilds the domain tables from raw_responses alone (no API call): replays every stored
 * answer in the order it was fetched, so the newest answer for each thing wins. People, repos
 * and pull requests keep their ids (other tables point at them); the per-PR lists are rebuilt.
 */
export async function reextractAll(db: Db, logger: Logger, botLogins?: readonly string[]): Promise<{ rows: number; failures: number }> {
  let rows = 0;
  let failures = 0;
  await db.transaction().execute(async (trx) => {
    await serializeTransactions(trx);
    for (const t of ['review_comments', 'issue_comments', 'review_requests', 'reviews', 'team_members'] as const) await trx.deleteFrom(t).execute();
  });
  let after = 0;
  for (;;) {
    const batch = await db.selectFrom('raw_responses').select(['id', 'kind', 'scope', 'url', 'request', 'body']).where('id', '>', after).where('status', '=', 200).orderBy('id').limit(200).execute();
    if (batch.length === 0) break;
    await db.transaction().execute(async (trx) => {
      await serializeTransactions(trx);
      const ctx = extractContext(trx, logger, botLogins);
      for (const raw of batch) await extractRaw(trx, { ...raw, body: rawBodyText(raw.body) }, ctx);
      failures += ctx.failures();
    });
    rows += batch.length;
    after = batch[batch.length - 1]!.id;
  }
  await refreshReviewCommentCounts(db);
  await refreshPeopleSeen(db);
  return { rows, failures };
}
