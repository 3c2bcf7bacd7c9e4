// Snapshots: a generated org saved to a file loads back deep-equal; a recorded org without a
// truth section gets its truth computed from the data.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../simulator/generate/index.ts';
import { loadSnapshot, saveSnapshot } from '../simulator/snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'sim-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('snapshots', () => {
  const org = generateOrg({ seed: 5, scale: 'tiny' });

  it('round-trips a generated organisation unchanged', () => {
    const file = join(dir, 'org.json');
    saveSnapshot(org, file);
    const loaded = loadSnapshot(file);
    expect(loaded).toEqual(org);
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('guidepost-simulator-snapshot/1');
  });

  it('computes the truth of a recorded organisation that has none', () => {
    const file = join(dir, 'recorded.json');
    saveSnapshot(org, file);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    delete json.truth;
    json.scale = 'snapshot';
    writeFileSync(file, JSON.stringify(json));
    const loaded = loadSnapshot(file);
    expect(loaded.scale).toBe('snapshot');
    expect(loaded.truth).toEqual(org.truth);
  });
});
