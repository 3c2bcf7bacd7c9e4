import { z } from 'zod';
import type { Db } from './db/connect.ts';
import { AppError } from './errors.ts';
import { AgreementsSchema } from './agreements.settings.ts';
import { DigestSettingsSchema } from './digest/digest.settings.ts';

// Signal settings, stored as one JSON row in `settings` (key 'signals'), validated on read and write.

const login = z.string().trim().min(1).max(100);
// An author identity as git history holds it: an e-mail address, a name, or a GitHub login.
const identityValue = z.string().trim().min(1).max(320);

export const TeamSettingSchema = z.object({
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-_]*$/i, 'a team slug uses letters, digits, - and _'),
  name: z.string().trim().min(1),
  members: z.array(login).default([]),
});

export const SettingsSchema = z
  .object({
    /** People left out of every signal (e.g. contractors who asked). */
    excludedLogins: z.array(login).default([]),
    /** Accounts to treat as bots besides `[bot]` logins and type Bot. */
    extraBotLogins: z.array(login).default([]),
    /** People whose data is not analysed at all (privacy requests). */
    doNotAnalyse: z.array(login).default([]),
    newcomerDays: z.number().int().min(1).max(3650).default(90),
    menteeLimit: z.number().int().min(1).max(1000).default(5),
    rubberStampLines: z.number().int().min(0).max(1_000_000).default(200),
    minGroupSize: z.number().int().min(1).max(1000).default(3),
    /** Days of tenure a reviewer needs over an author for a mentoring edge. */
    mentorTenureGapDays: z.number().int().min(0).max(3650).default(180),
    teams: z.array(TeamSettingSchema).default([]),
    /** The brief and the digest name people only when the lead turns this on. */
    briefNames: z.boolean().default(false),
    /** Git identities that are one person, beside those merged by rule: e-mails, names or logins. */
    identityAliases: z.array(z.array(identityValue).min(2)).default([]),
    /** Git identities merged by a rule that are different people: each entry is kept apart. */
    identityDistinct: z.array(z.array(identityValue).min(2)).default([]),
    /** The team's working agreements; none by default (server/agreements.settings.ts). */
    agreements: AgreementsSchema.default({}),
    /** The weekly digest's schedule and recipients (server/digest/digest.settings.ts). */
    digest: DigestSettingsSchema.default(DigestSettingsSchema.parse({})),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;

export const defaultSettings: Settings = SettingsSchema.parse({});
const KEY = 'signals';

/** Stored settings merged over the defaults; a broken stored row is reported, not ignored. */
export async function readSettings(db: Db): Promise<Settings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  if (!row) return defaultSettings;
  const parsed = SettingsSchema.safeParse(JSON.parse(row.value));
  if (!parsed.success) throw new AppError('invalid_config', `Stored settings are invalid (${describeIssues(parsed.error)}). Save them again over the API.`);
  return parsed.data;
}

/** Validates a partial update, merges it over the stored settings and saves the result. */
export async function updateSettings(db: Db, patch: unknown): Promise<Settings> {
  const current = await readSettings(db);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new AppError('bad_request', 'Settings must be a JSON object.');
  // The digest is one form's fields: a patch naming some of them keeps the others.
  const digest = (patch as { digest?: unknown }).digest;
  const merged = typeof digest === 'object' && digest !== null && !Array.isArray(digest) ? { ...patch, digest: { ...current.digest, ...digest } } : patch;
  const parsed = SettingsSchema.safeParse({ ...current, ...merged });
  if (!parsed.success) throw new AppError('bad_request', `Invalid settings: ${describeIssues(parsed.error)}.`);
  const slugs = parsed.data.teams.map((t) => t.slug);
  const dup = slugs.find((s, i) => slugs.indexOf(s) !== i);
  if (dup) throw new AppError('bad_request', `Invalid settings: team slug "${dup}" is used twice.`);
  await writeSettingRow(db, KEY, parsed.data);
  return parsed.data;
}

/** Stores one row of the settings table (a JSON value under its key), replacing it. */
export async function writeSettingRow(db: Db, key: string, data: unknown): Promise<void> {
  const value = JSON.stringify(data);
  const now = new Date().toISOString();
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}
