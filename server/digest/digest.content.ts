import type { Db } from '../db/connect.ts';
import { readSettings } from '../settings.ts';
import { buildBrief, type Brief } from '../signals/brief.ts';
import { agreementStatus, type AgreementStatus } from '../signals/agreements.ts';
import { hours, num, plural } from '../signals/format.ts';
import type { DigestConfig } from './digest.config.ts';

// What the digest says: the leader's brief for the dashboard's default period (the same
// buildBrief the Brief page shows, so the two never disagree), the working agreements as the
// overview states them, and a link back. Rendering for each channel is digest.render.ts.

export interface AgreementLine {
  label: string;
  target: string;
  status: AgreementStatus['status'];
  /** The measured figure in words, with its unit. */
  actual: string;
  drift: string | null;
}

export interface DigestContent {
  brief: Brief;
  /** Empty when no agreement is set or the scope is too small to show. */
  agreements: AgreementLine[];
  /** The dashboard's brief, when GUIDEPOST_PUBLIC_URL says where readers reach it. */
  link: string | null;
}

export async function digestContent(db: Db, config: Pick<DigestConfig, 'publicUrl'>): Promise<DigestContent> {
  const settings = await readSettings(db);
  const brief = await buildBrief(db, {});
  const agreements = brief.suppressed ? [] : ((await agreementStatus(db, {}, { settings })) ?? []);
  return {
    brief,
    agreements: agreements.map((a) => ({ label: a.label, target: a.target, status: a.status, actual: actualWords(a), drift: a.drift })),
    link: config.publicUrl ? `${config.publicUrl}/brief` : null,
  };
}

function actualWords(a: AgreementStatus): string {
  if (a.actual === null) return '—';
  switch (a.unit) {
    case 'hours':
      return hours(a.actual);
    case 'percent':
      return `${num(a.actual)}%`;
    case 'lines':
      return plural(a.actual, 'line');
    case 'reviewers':
      return plural(a.actual, 'reviewer');
    case 'mentees':
      return plural(a.actual, 'mentee');
    case 'newcomers':
      return plural(a.actual, 'newcomer');
  }
}
