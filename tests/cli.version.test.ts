import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guidepost } from './cli.fixture.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe.concurrent('guidepost --version', { timeout: 150_000 }, () => {
  it('prints the package version and exits 0', async () => {
    const r = await guidepost(['--version']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('answers to -V too', async () => {
    const r = await guidepost(['-V']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });
});
