import { resolve, dirname } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { isLoopbackHost } from './auth/loopback.ts';
import { digestConfig, digestEnv, type DigestConfig } from './digest/digest.config.ts';

/** How long a job's lock holds without a heartbeat before another worker may take the job over. */
export const DEFAULT_JOB_LOCK_TIMEOUT_SECONDS = 600;

/**
 * Everything Guidepost reads from the environment, parsed once. Flags from the CLI are merged
 * over the environment by the caller (cli/), then passed here; nothing else reads process.env.
 */
const ConfigSchema = z.object({
  GUIDEPOST_DB: z.string().min(1).optional(),
  // PostgreSQL instead of the SQLite file (server/db/postgres.ts). The URL is never echoed.
  GUIDEPOST_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//i, 'must be a postgres:// URL, e.g. postgres://guidepost@db.example.com:5432/guidepost (a password goes after the user and a colon)')
    .optional(),
  GUIDEPOST_DATA_DIR: z.string().min(1).optional(),
  GUIDEPOST_HOST: z.string().min(1).default('127.0.0.1'),
  GUIDEPOST_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  GUIDEPOST_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GUIDEPOST_SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
  GUIDEPOST_BACKFILL_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  GUIDEPOST_SECRET_KEY: z.string().min(1).optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  // The weekly digest's destinations and dashboard link (server/digest/digest.config.ts).
  ...digestEnv,
  // Access (server/auth): login is required off loopback; on loopback only when turned on.
  GUIDEPOST_REQUIRE_AUTH: z.enum(['true', 'false']).optional(),
  GUIDEPOST_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  GUIDEPOST_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  // With webhooks arriving, a scheduled sync of that org only reconciles what they missed.
  GUIDEPOST_WEBHOOK_RESYNC_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  // A job whose worker stopped heartbeating (every third of this) this long is taken over by another.
  GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(30, 'must be at least 30 seconds: a running job refreshes its lock every third of it, and a shorter timeout lets a busy database make a live job look dead')
    .default(DEFAULT_JOB_LOCK_TIMEOUT_SECONDS),
  // GitHub signs each webhook delivery with it (HMAC-SHA256); a short secret could be guessed.
  GUIDEPOST_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters (GitHub signs webhook deliveries with it; a short one can be guessed). Generate one, e.g. openssl rand -hex 32').optional(),
});

export interface Config {
  /** SQLite file (unused when databaseUrl is set). */
  readonly dbPath: string;
  /** PostgreSQL connection URL; when set, the database is PostgreSQL, not the SQLite file. */
  readonly databaseUrl: string | undefined;
  /** Folder beside the database for clones and keys. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly logLevel: z.infer<typeof ConfigSchema>['GUIDEPOST_LOG_LEVEL'];
  /** Minutes between scheduled re-syncs; 0 turns the scheduler off. */
  readonly syncIntervalMinutes: number;
  readonly backfillDays: number;
  /** Key that encrypts stored tokens, when not kept in a file in dataDir. */
  readonly secretKey: string | undefined;
  readonly githubToken: string | undefined;
  readonly githubApiUrl: string;
  /** Where the weekly digest is sent from and to; its secrets are read here only. */
  readonly digest: DigestConfig;
  /** Every /api route but health and auth needs a session (always true off loopback). */
  readonly requireAuth: boolean;
  /** Creates the admin on first run when none exists yet. */
  readonly adminPassword: string | undefined;
  /** Believe X-Forwarded-Proto (behind a TLS-terminating proxy) when deciding on Secure cookies. */
  readonly trustProxy: boolean;
  /** Secret GitHub signs webhook deliveries with; POST /api/webhooks/github is off without it. */
  readonly webhookSecret: string | undefined;
  /** Hours between scheduled syncs of an org that webhooks keep current (GUIDEPOST_SYNC_INTERVAL_MINUTES for the others). */
  readonly webhookResyncHours: number;
  /** A job's lock not refreshed for this long is presumed its dead worker's and taken over (the runner's staleLockMs). */
  readonly jobLockTimeoutMs: number;
}

export type ConfigInput = Partial<Record<keyof z.infer<typeof ConfigSchema>, string | undefined>>;

/** Parses the environment (and any overrides) into a frozen Config, or throws a config error. */
export function parseConfig(env: ConfigInput): Config {
  const parsed = ConfigSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('invalid_config', `Invalid configuration. ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if (!isLoopbackHost(e.GUIDEPOST_HOST) && e.GUIDEPOST_REQUIRE_AUTH === 'false') {
    throw new AppError('invalid_config', `Invalid configuration. GUIDEPOST_REQUIRE_AUTH=false is not allowed when listening on ${e.GUIDEPOST_HOST}: the network could read everything. Listen on 127.0.0.1 or keep the login.`);
  }
  const dataDir = resolve(e.GUIDEPOST_DATA_DIR ?? (e.GUIDEPOST_DB ? dirname(e.GUIDEPOST_DB) : './data'));
  return Object.freeze({
    dbPath: e.GUIDEPOST_DB === ':memory:' ? ':memory:' : resolve(e.GUIDEPOST_DB ?? resolve(dataDir, 'guidepost.db')),
    databaseUrl: e.GUIDEPOST_DATABASE_URL,
    dataDir,
    host: e.GUIDEPOST_HOST,
    port: e.GUIDEPOST_PORT,
    logLevel: e.GUIDEPOST_LOG_LEVEL,
    syncIntervalMinutes: e.GUIDEPOST_SYNC_INTERVAL_MINUTES,
    backfillDays: e.GUIDEPOST_BACKFILL_DAYS,
    secretKey: e.GUIDEPOST_SECRET_KEY,
    githubToken: e.GITHUB_TOKEN,
    githubApiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''),
    digest: digestConfig(e),
    requireAuth: e.GUIDEPOST_REQUIRE_AUTH === 'true' || !isLoopbackHost(e.GUIDEPOST_HOST),
    adminPassword: e.GUIDEPOST_ADMIN_PASSWORD,
    trustProxy: e.GUIDEPOST_TRUST_PROXY === 'true',
    webhookSecret: e.GUIDEPOST_WEBHOOK_SECRET,
    webhookResyncHours: e.GUIDEPOST_WEBHOOK_RESYNC_HOURS,
    jobLockTimeoutMs: e.GUIDEPOST_JOB_LOCK_TIMEOUT_SECONDS * 1000,
  });
}

function stripEmpty(env: ConfigInput): ConfigInput {
  const out: ConfigInput = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k as keyof ConfigInput] = v;
  return out;
}

/** The only place that reads process.env. */
export function configFromEnv(overrides: ConfigInput = {}): Config {
  const picked: ConfigInput = {};
  for (const key of Object.keys(ConfigSchema.shape) as (keyof ConfigInput)[]) picked[key] = process.env[key];
  return parseConfig({ ...picked, ...stripEmpty(overrides) });
}
