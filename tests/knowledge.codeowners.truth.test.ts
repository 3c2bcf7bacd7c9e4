import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSeededOrg, type SyncedOrg } from './consistency.fixture.ts';
import { isCodeFile } from '../simulator/generate/doa.ts';
import type { CodeownersTruth } from '../simulator/model.ts';

// The simulator plants a CODEOWNERS file per repository with known drift (an owner who never
// touched their area, an area whose main author is not declared, uncovered files, a malformed
// line, an owner with no account). Synced the way the server does it (API, partial clone,
// knowledge), Guidepost's drift report must match the planted truth rule by rule.

interface Drift {
  path: string | null;
  rules: CodeownersTruth['rules'];
  uncoveredFiles: string[];
  problems: { line: number; problem: string }[];
  unknownOwners: { owner: string }[];
}

let synced: SyncedOrg;
beforeAll(async () => {
  synced = await syncSeededOrg({ seed: 7, scale: 'tiny', git: true });
}, 300_000);
afterAll(async () => synced?.close());

const drift = async (repo: string) => {
  const res = await synced.app.request(`/api/knowledge/${synced.org}/${repo}/codeowners`);
  expect(res.status, repo).toBe(200);
  return (await res.json()) as Drift;
};

describe('CODEOWNERS drift on planted truth', { timeout: 120_000 }, () => {
  it('plants the drift it promises', () => {
    const truth = synced.sim.org.truth.codeowners ?? [];
    expect(truth.length).toBe(synced.sim.org.repos.length);
    for (const t of truth) {
      expect(t.neverTouched.length, t.repo).toBeGreaterThan(0);
      expect(t.undeclaredMainAuthor.length, t.repo).toBeGreaterThan(0);
      expect(t.uncoveredFiles.length, t.repo).toBeGreaterThan(0);
    }
  });

  it('finds, rule by rule, the owners who never touched their area and the main authors left out', async () => {
    for (const t of synced.sim.org.truth.codeowners as CodeownersTruth[]) {
      const d = await drift(t.repo);
      expect(d.path).toBe(t.path);
      expect(d.rules.map((r) => [r.line, r.pattern, r.files, r.ownersNeverTouched]), t.repo).toEqual(t.rules.map((r) => [r.line, r.pattern, r.files, r.ownersNeverTouched]));
      for (const r of t.rules.filter((x) => x.mainAuthor !== null)) {
        const found = d.rules.find((x) => x.line === r.line)!;
        expect({ mainAuthor: found.mainAuthor, declared: found.mainAuthorDeclared }, `${t.repo} line ${r.line}`).toEqual({ mainAuthor: r.mainAuthor, declared: r.mainAuthorDeclared });
      }
    }
  });

  it('lists every uncovered code file (and beside them only files the simulator does not call code)', async () => {
    for (const t of synced.sim.org.truth.codeowners as CodeownersTruth[]) {
      const d = await drift(t.repo);
      expect(d.uncoveredFiles, t.repo).toEqual(expect.arrayContaining(t.uncoveredFiles));
      const extra = d.uncoveredFiles.filter((f) => !t.uncoveredFiles.includes(f));
      expect(extra.filter(isCodeFile), t.repo).toEqual([]);
    }
  });

  it('reports the malformed line and the owner with no account', async () => {
    for (const t of synced.sim.org.truth.codeowners as CodeownersTruth[]) {
      const d = await drift(t.repo);
      expect(d.problems.map((p) => p.line), t.repo).toEqual(t.malformedLines);
      expect(d.unknownOwners.map((u) => u.owner), t.repo).toEqual(t.unknownOwners);
    }
  });
});
