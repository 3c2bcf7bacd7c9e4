// Runs the `guidepost` command as a user would, from the project root, and keeps what it said.
import { execFile } from 'node:child_process';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/guidepost.js ...args`, with `env` over this process's environment; resolves (never rejects) with the exit code and both outputs. */
export function guidepost(args: string[], timeoutMs = 120_000, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('node', ['bin/guidepost.js', ...args], { timeout: timeoutMs, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
