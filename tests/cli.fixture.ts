// Runs the `guidepost` command as a user would, from the project root, and keeps what it said.
import { execFile } from 'node:child_process';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/guidepost.js ...args`; resolves (never rejects) with the exit code and both outputs. */
export function guidepost(args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('node', ['bin/guidepost.js', ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
