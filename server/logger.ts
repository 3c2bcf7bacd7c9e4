import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

// Anything shaped like a GitHub credential is masked before a line is written, wherever it hides.
const TOKEN_SHAPES = /\b(gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,}|v1\.[0-9a-f]{40}|sim_[A-Za-z0-9_]{8,})\b/g;

// A GitHub App private key, raw or JSON-escaped ("\n") inside a log line.
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

// The password of a database URL (postgres://user:password@host/db).
const URL_PASSWORD = /\b(postgres(?:ql)?:\/\/[^:@/\s]*:)[^@\s]*@/gi;

export function redactSecrets(text: string): string {
  return text.replace(TOKEN_SHAPES, '[redacted]').replace(PRIVATE_KEY, '[redacted]').replace(URL_PASSWORD, '$1[redacted]@');
}

/** Writes pino's JSON lines as plain sentences ("warning: … (repo: a/b)"), for people at a terminal. */
function sentences(): { write(line: string): void } {
  const LABELS: [number, string][] = [[50, 'error'], [40, 'warning'], [30, 'info'], [0, 'debug']];
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        process.stderr.write(line);
        return;
      }
      const { level, time: _time, pid: _pid, hostname: _host, msg, ...rest } = entry;
      const label = LABELS.find(([min]) => Number(level) >= min)![1];
      const details = Object.entries(rest).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
      process.stderr.write(`${label}: ${String(msg ?? '')}${details.length ? ` (${details.join(', ')})` : ''}\n`);
    },
  };
}

/** pino logger that writes to stderr with secrets masked: JSON lines, or sentences for the CLI. */
export function createLogger(level: LevelWithSilent = 'info', o: { sentences?: boolean } = {}): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'secret', '*.secret', 'password', '*.password', 'cookie', '*.cookie', 'headers.cookie', '*.headers.cookie', 'privateKey', '*.privateKey', 'adminPassword', '*.adminPassword'],
        censor: '[redacted]',
      },
      hooks: {
        // Masks token-shaped strings inside free text (error messages, URLs) too.
        streamWrite: (line: string) => redactSecrets(line),
      },
    },
    o.sentences ? sentences() : pino.destination({ fd: 2, sync: true }),
  );
}
