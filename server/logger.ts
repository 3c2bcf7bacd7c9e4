import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

// Anything shaped like a GitHub credential is masked before a line is written, wherever it hides.
const TOKEN_SHAPES = /\b(gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,}|v1\.[0-9a-f]{40}|sim_[A-Za-z0-9_]{8,})\b/g;

// A GitHub App private key, raw or JSON-escaped ("\n") inside a log line.
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

export function redactSecrets(text: string): string {
  return text.replace(TOKEN_SHAPES, '[redacted]').replace(PRIVATE_KEY, '[redacted]');
}

/** pino logger that writes JSON lines to stderr with secrets masked. */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
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
    pino.destination({ fd: 2, sync: true }),
  );
}
