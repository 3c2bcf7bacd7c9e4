// evolveOrg adds activity after `now`, exactly what its summary says, the same way every time,
// so a second sync can be checked to pick up exactly those PRs.
import { describe, expect, it } from 'vitest';
import { generateOrg } from '../simulator/generate/index.ts';
import { evolveOrg } from '../simulator/generate/evolve.ts';
import type { SimOrg } from '../simulator/model.ts';

const key = (p: { repo: string; number: number }) => `${p.repo}#${p.number}`;

describe('evolveOrg', () => {
  it('adds new PRs, reviews old ones and merges some late, all after the old now', () => {
    const org = generateOrg({ seed: 4, scale: 'tiny' });
    const before = structuredClone(org);
    const summary = evolveOrg(org, { newPulls: 4, newReviewsOnOldPulls: 3, lateMerges: 2 });
    expect(summary.from).toBe(before.now);
    expect(org.now).toBe(summary.to);
    expect(org.truth.now).toBe(summary.to);
    expect(Date.parse(summary.to)).toBeGreaterThan(Date.parse(summary.from));
    expect(summary.newPulls).toHaveLength(4);
    expect(summary.reviewedPulls).toHaveLength(3);
    expect(summary.lateMerged).toHaveLength(2);
    expect(org.pulls).toHaveLength(before.pulls.length + 4);

    // Exactly the PRs in the summary changed, and each of them shows it in updatedAt.
    const changed = new Set([...summary.newPulls, ...summary.reviewedPulls, ...summary.lateMerged].map(key));
    const old = new Map(before.pulls.map((p) => [key(p), p]));
    for (const p of org.pulls) {
      const was = old.get(key(p));
      if (changed.has(key(p))) expect(Date.parse(p.updatedAt)).toBeGreaterThan(Date.parse(before.now));
      else expect(p).toEqual(was);
    }
    for (const ref of summary.reviewedPulls) {
      const p = org.pulls.find((x) => key(x) === key(ref))!;
      expect(p.reviews.length).toBe(old.get(key(ref))!.reviews.length + 1);
      expect(Date.parse(p.reviews.at(-1)!.submittedAt)).toBeGreaterThan(Date.parse(before.now));
    }
    for (const ref of summary.lateMerged) {
      const p = org.pulls.find((x) => key(x) === key(ref))!;
      expect(old.get(key(ref))!.mergedAt).toBeNull();
      expect(Date.parse(p.mergedAt!)).toBeGreaterThan(Date.parse(before.now));
      const commit = org.repos.find((r) => r.name === p.repo)!.commits.find((c) => c.id === p.commitIds[0])!;
      expect(commit.message).toBe(`${p.title} (#${p.number})`);
    }
    const ordered = org.pulls.map((p) => [org.repos.findIndex((r) => r.name === p.repo), p.number]);
    expect(ordered).toEqual([...ordered].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
  });

  it('is deterministic: the same org evolves the same way', () => {
    const a: SimOrg = generateOrg({ seed: 4, scale: 'tiny' });
    const b: SimOrg = generateOrg({ seed: 4, scale: 'tiny' });
    expect(evolveOrg(a)).toEqual(evolveOrg(b));
    expect(a).toEqual(b);
  });
});
