// The generated organisation: deterministic from its seed, realistic in shape, and holding every
// planted item of truth in the data itself (checked here directly on the data, not via truth.ts).
import { describe, expect, it } from 'vitest';
import type { SimOrg, SimPull } from '../simulator/model.ts';
import { generateOrg, generateWithIntent } from '../simulator/generate/index.ts';

const DAY = 86_400_000;
const tiny = generateWithIntent({ seed: 1, scale: 'tiny' });
const small = generateWithIntent({ seed: 1, scale: 'small' });

function headFiles(org: SimOrg, repo: string): Set<string> {
  const files = new Set<string>();
  for (const c of org.repos.find((r) => r.name === repo)!.commits) {
    for (const ch of c.changes) {
      if (ch.kind === 'delete') files.delete(ch.path);
      else { if (ch.from) files.delete(ch.from); files.add(ch.path); }
    }
  }
  return files;
}

function firstActivity(org: SimOrg): Map<string, number> {
  const first = new Map<string, number>();
  const see = (l: string, t: string) => first.set(l, Math.min(first.get(l) ?? Infinity, Date.parse(t)));
  for (const p of org.pulls) {
    see(p.author, p.createdAt);
    p.reviews.forEach((r) => see(r.author, r.submittedAt));
    p.reviewComments.forEach((c) => see(c.author, c.createdAt));
    p.issueComments.forEach((c) => see(c.author, c.createdAt));
  }
  return first;
}

describe('generateOrg', () => {
  it('gives deep-equal organisations for the same seed and different ones for another seed', () => {
    expect(generateOrg({ seed: 1, scale: 'tiny' })).toEqual(tiny.org);
    const other = generateOrg({ seed: 2, scale: 'tiny' });
    expect(other.org.login).not.toBe(tiny.org.org.login);
    expect(other.people.map((p) => p.login)).not.toEqual(tiny.org.people.map((p) => p.login));
    expect(tiny.org.now).toBe('2026-06-01T00:00:00Z');
    expect(tiny.org.org.login).toBe('acme-1');
  });

  it('produces the scale it is asked for', () => {
    expect(tiny.org.repos).toHaveLength(2);
    expect(tiny.org.pulls.length).toBeGreaterThanOrEqual(140);
    expect(small.org.repos).toHaveLength(5);
    expect(small.org.people.filter((p) => p.type === 'User').length).toBeGreaterThanOrEqual(28);
    expect(small.org.pulls.length).toBeGreaterThanOrEqual(580);
    expect(() => generateOrg({ seed: 1, scale: 'huge' as never })).toThrow(/Unknown scale "huge"/);
  });

  it('computes the same truth it meant to plant, with every kind present', () => {
    for (const { org, intended } of [tiny, small, generateWithIntent({ seed: 3, scale: 'tiny' })]) {
      const t = org.truth;
      const pairs = (x: { mentor: string; mentee: string }[]) => x.map((e) => `${e.mentor}>${e.mentee}`).sort();
      expect(pairs(t.mentorPairs)).toEqual(pairs(intended.mentorPairs));
      expect(t.overloadedMentors).toEqual([...intended.overloadedMentors].sort());
      expect(t.loadCarriers).toEqual([...intended.loadCarriers].sort());
      expect(t.rubberStampers).toEqual([...intended.rubberStampers].sort());
      expect(t.knowledgeIslands.map((i) => `${i.repo}:${i.directory}:${i.owner}`).sort())
        .toEqual(intended.knowledgeIslands.map((i) => `${i.repo}:${i.directory}:${i.owner}`).sort());
      expect(t.departedOwners.map((d) => d.login)).toEqual(intended.departedOwners.map((d) => d.login).sort());
      for (const d of intended.departedOwners) expect(t.departedOwners.find((x) => x.login === d.login)!.repos).toEqual(expect.arrayContaining(d.repos));
      expect(t.mentorPairs.length).toBeGreaterThanOrEqual(6);
      expect(t.overloadedMentors).toHaveLength(1);
      expect(t.newcomersWithoutMentor.length).toBeGreaterThanOrEqual(3);
      expect(t.newcomers.length).toBeGreaterThan(t.newcomersWithoutMentor.length);
      expect(t.loadCarriers.length).toBeGreaterThanOrEqual(2);
      expect(t.rubberStampers.length).toBeGreaterThanOrEqual(2);
      expect(t.knowledgeIslands.length).toBeGreaterThanOrEqual(org.scale === 'tiny' ? 1 : 2);
      expect(t.departedOwners.length).toBeGreaterThanOrEqual(1);
      expect(t.bots).toEqual(['dependabot[bot]', 'renovate[bot]']);
      expect(t.ghost).toBe('ghost');
      // Mentees include newcomers and people who are not newcomers.
      expect(t.mentorPairs.some((e) => t.newcomers.includes(e.mentee))).toBe(true);
      expect(t.mentorPairs.some((e) => !t.newcomers.includes(e.mentee))).toBe(true);
    }
  });

  it('backs every mentor pair with two substantive reviews in the window and a 180-day tenure gap', () => {
    const { org } = small;
    const now = Date.parse(org.now);
    const first = firstActivity(org);
    for (const { mentor, mentee } of org.truth.mentorPairs) {
      let substantive = 0;
      for (const p of org.pulls.filter((x) => x.author === mentee)) {
        for (const r of p.reviews.filter((x) => x.author === mentor && Date.parse(x.submittedAt) >= now - 90 * DAY)) {
          const comments = p.reviewComments.filter((c) => c.reviewId === r.id).length;
          if (r.state === 'CHANGES_REQUESTED' || comments > 0 || r.body !== '') substantive++;
        }
      }
      expect(substantive, `${mentor} → ${mentee}`).toBeGreaterThanOrEqual(2);
      expect((first.get(mentee)! - first.get(mentor)!) / DAY).toBeGreaterThanOrEqual(180);
    }
    const overloaded = org.truth.overloadedMentors[0]!;
    expect(new Set(org.truth.mentorPairs.filter((e) => e.mentor === overloaded).map((e) => e.mentee)).size).toBeGreaterThan(5);
  });

  it('surrounds the pairs with noise that falls just short of the definition', () => {
    const { org } = small;
    const now = Date.parse(org.now);
    const first = firstActivity(org);
    const bots = new Set(org.truth.bots);
    const pairs = new Set(org.truth.mentorPairs.map((e) => `${e.mentor}>${e.mentee}`));
    const substantive = new Map<string, number>();
    for (const p of org.pulls) {
      for (const r of p.reviews) {
        if (Date.parse(r.submittedAt) < now - 90 * DAY || bots.has(r.author) || bots.has(p.author) || r.author === p.author) continue;
        if (r.state === 'CHANGES_REQUESTED' || r.body !== '' || p.reviewComments.some((c) => c.reviewId === r.id)) {
          substantive.set(`${r.author}>${p.author}`, (substantive.get(`${r.author}>${p.author}`) ?? 0) + 1);
        }
      }
    }
    const gap = (k: string) => { const [r, a] = k.split('>') as [string, string]; return (first.get(a)! - first.get(r)!) / DAY; };
    const noise = [...substantive].filter(([k]) => !pairs.has(k));
    // Seniors who gave one substantive review only, and peers who gave several.
    expect(noise.filter(([k, n]) => n === 1 && gap(k) >= 180).length).toBeGreaterThanOrEqual(5);
    expect(noise.filter(([k, n]) => n >= 2 && gap(k) < 180).length).toBeGreaterThanOrEqual(3);
    // Comment-less approvals on small PRs are common.
    const plain = org.pulls.filter((p) => p.additions + p.deletions <= 200).flatMap((p) => p.reviews.filter((r) => r.state === 'APPROVED' && r.body === '' && !p.reviewComments.some((c) => c.reviewId === r.id)));
    expect(plain.length).toBeGreaterThan(org.pulls.length / 10);
  });

  it('leaves newcomers without a mentor reviewed only by peers, by silent approvals, or not at all', () => {
    const { org } = small;
    const now = Date.parse(org.now);
    const first = firstActivity(org);
    for (const n of org.truth.newcomersWithoutMentor) {
      const firstPr = Math.min(...org.pulls.filter((p) => p.author === n).map((p) => Date.parse(p.createdAt)));
      expect(now - firstPr).toBeLessThan(90 * DAY);
      // No senior (180+ days) gave this newcomer two substantive reviews in the window.
      const bySenior = new Map<string, number>();
      for (const p of org.pulls.filter((x) => x.author === n)) {
        for (const r of p.reviews) {
          const senior = (first.get(n)! - (first.get(r.author) ?? Infinity)) / DAY >= 180;
          const substantive = r.state === 'CHANGES_REQUESTED' || r.body !== '' || p.reviewComments.some((c) => c.reviewId === r.id);
          if (senior && substantive) bySenior.set(r.author, (bySenior.get(r.author) ?? 0) + 1);
        }
      }
      expect([...bySenior.values()].every((v) => v < 2)).toBe(true);
    }
  });

  it('plants rubber-stampers, islands with one author and reviewer, and owners who left', () => {
    const { org } = small;
    const now = Date.parse(org.now);
    for (const s of org.truth.rubberStampers) {
      const stamps = org.pulls.filter((p) => p.additions + p.deletions > 200).flatMap((p) => p.reviews.filter((r) =>
        r.author === s && r.state === 'APPROVED' && r.body === '' && Date.parse(r.submittedAt) >= now - 90 * DAY && !p.reviewComments.some((c) => c.reviewId === r.id)));
      expect(stamps.length).toBeGreaterThanOrEqual(3);
    }
    for (const island of org.truth.knowledgeIslands) {
      const inDir = [...headFiles(org, island.repo)].filter((f) => f.slice(0, f.lastIndexOf('/')) === island.directory);
      expect(inDir.length).toBeGreaterThanOrEqual(3);
      const commits = org.repos.find((r) => r.name === island.repo)!.commits.filter((c) => c.changes.some((ch) => ch.path.startsWith(`${island.directory}/`)));
      expect(new Set(commits.map((c) => c.authorLogin))).toEqual(new Set([island.owner]));
      const touching = org.pulls.filter((p) => p.repo === island.repo && p.mergedAt && Date.parse(p.mergedAt) >= now - 180 * DAY
        && (p.files ?? []).some((f) => f.path.startsWith(`${island.directory}/`)));
      for (const p of touching) expect(p.reviews.filter((r) => r.author !== p.author && !r.author.endsWith('[bot]'))).toEqual([]);
      expect(org.people.find((p) => p.login === island.owner)!.leftAt).toBeNull();
    }
    for (const d of org.truth.departedOwners) {
      const person = org.people.find((p) => p.login === d.login)!;
      expect(now - Date.parse(person.leftAt!)).toBeGreaterThan(90 * DAY);
      expect(person.isMember).toBe(false);
      const recent = (t: string) => Date.parse(t) >= now - 90 * DAY;
      const acts = org.pulls.flatMap((p) => [
        ...(p.author === d.login ? [p.createdAt] : []),
        ...p.reviews.filter((r) => r.author === d.login).map((r) => r.submittedAt),
        ...p.issueComments.filter((c) => c.author === d.login).map((c) => c.createdAt),
      ]);
      expect(acts.filter(recent)).toEqual([]);
      const files = org.repos.find((r) => r.name === d.repos[0])!.commits.filter((c) => c.authorLogin === d.login)
        .flatMap((c) => c.changes.filter((ch) => ch.kind === 'add').map((ch) => ch.path));
      expect(files.length).toBeGreaterThanOrEqual(10);
    }
  });

  it('looks like a real organisation: bots, a ghost, drafts, waiting PRs, team requests, huge PRs, odd names', () => {
    const { org } = small;
    const people = new Map(org.people.map((p) => [p.login, p]));
    expect(org.people.some((p) => /[^\x00-\x7f]/.test(p.name ?? ''))).toBe(true);
    expect(org.people.some((p) => p.name === 'Zoë Ærøskøbing' || p.name === '李雷' || p.name === 'José Núñez')).toBe(true);
    for (const bot of ['dependabot[bot]', 'renovate[bot]']) {
      expect(people.get(bot)!.type).toBe('Bot');
      expect(org.pulls.some((p) => p.author === bot)).toBe(true);
    }
    expect(org.pulls.some((p) => p.reviews.some((r) => r.author.endsWith('[bot]')) || p.issueComments.some((c) => c.author.endsWith('[bot]')))).toBe(true);
    const ghost = org.people.find((p) => p.deleted)!;
    expect(org.pulls.some((p) => p.author === ghost.login)).toBe(true);
    expect(org.pulls.some((p) => p.reviews.some((r) => r.author === ghost.login))).toBe(true);
    expect(org.people.some((p) => p.leftAt !== null && !p.isMember && !p.deleted)).toBe(true);
    expect(new Set(org.people.map((p) => p.joinedAt.slice(0, 7))).size).toBeGreaterThan(5);
    expect(org.pulls.some((p) => p.isDraft && p.closedAt === null)).toBe(true);
    expect(org.pulls.some((p) => p.readyAt !== null && !p.isDraft)).toBe(true);
    expect(org.pulls.some((p) => p.closedAt !== null && p.mergedAt === null)).toBe(true);
    expect(org.pulls.some((p) => p.closedAt === null && !p.isDraft && p.reviews.length === 0 && p.reviewRequests.some((r) => r.pending))).toBe(true);
    const teamRequests = org.pulls.flatMap((p) => p.reviewRequests.filter((r) => r.team !== null));
    expect(teamRequests.some((r) => r.pending) && teamRequests.some((r) => !r.pending)).toBe(true);
    expect(org.pulls.some((p) => p.additions + p.deletions > 2000)).toBe(true);
    expect(org.teams.length).toBeGreaterThanOrEqual(3);
    for (const person of org.people.filter((p) => p.type === 'User' && !p.deleted)) {
      const teams = org.teams.filter((t) => t.members.includes(person.login)).length;
      expect(teams).toBeGreaterThanOrEqual(1);
      expect(teams).toBeLessThanOrEqual(2);
    }
  });

  it('keeps every PR consistent: comment paths in its files, updatedAt at the latest activity, unique ids', () => {
    const { org } = small;
    const latest = (p: SimPull) => Math.max(...[p.createdAt, p.readyAt, p.closedAt, p.mergedAt, ...p.reviews.map((r) => r.submittedAt),
      ...p.reviewComments.map((c) => c.updatedAt), ...p.issueComments.map((c) => c.updatedAt), ...p.reviewRequests.map((r) => r.requestedAt)]
      .filter((t): t is string => t !== null).map((t) => Date.parse(t)));
    for (const p of org.pulls) {
      const paths = new Set((p.files ?? []).map((f) => f.path));
      for (const c of p.reviewComments) expect(paths.has(c.path), `${p.repo}#${p.number} ${c.path}`).toBe(true);
      expect(Date.parse(p.updatedAt)).toBe(latest(p));
      expect(p.additions).toBe((p.files ?? []).reduce((n, f) => n + f.additions, 0));
      expect(p.changedFiles).toBe((p.files ?? []).length);
    }
    const unique = (xs: (string | number)[]) => expect(new Set(xs).size).toBe(xs.length);
    unique(org.pulls.map((p) => p.id));
    unique(org.pulls.map((p) => p.nodeId));
    unique(org.pulls.flatMap((p) => p.reviews.map((r) => r.id)));
    unique(org.pulls.flatMap((p) => p.reviews.map((r) => r.nodeId)));
    unique(org.pulls.flatMap((p) => p.reviewComments.map((c) => c.id)));
    unique(org.pulls.flatMap((p) => p.issueComments.map((c) => c.id)));
    unique(org.people.map((p) => p.id));
    unique(org.people.map((p) => p.login));
    expect(org.pulls[0]!.nodeId).toMatch(/^PR_kwDO[A-Za-z0-9_-]+$/);
  });

  it('writes a git history: an import, one squash commit per merged PR, direct pushes, alias variants', () => {
    const { org } = small;
    const people = new Map(org.people.map((p) => [p.login, p]));
    for (const repo of org.repos) {
      expect(repo.commits[0]!.message).toBe('Initial import');
      const paths = repo.commits.flatMap((c) => c.changes.map((ch) => ch.path));
      expect(paths.some((p) => p.startsWith('docs/') && p.endsWith('.md'))).toBe(true);
      expect(paths.some((p) => p.startsWith('vendor/'))).toBe(true);
      expect(paths.some((p) => /__generated__\/|\.pb\.go$|_pb2\.py$/.test(p))).toBe(true);
      expect(repo.commits.some((c) => c.prNumber === null && c.message !== 'Initial import' && !c.message.startsWith('Import'))).toBe(true);
      const byId = new Map(repo.commits.map((c) => [c.id, c]));
      for (const p of org.pulls.filter((x) => x.repo === repo.name && x.mergedAt)) {
        const c = byId.get(p.commitIds[0]!)!;
        expect(c.message).toBe(`${p.title} (#${p.number})`);
        expect(c.date).toBe(p.mergedAt);
        expect(c.authorLogin).toBe(people.get(p.author)!.deleted ? null : p.author);
        expect(c.changes.reduce((n, ch) => n + ch.additions, 0)).toBe(p.additions);
        expect(c.changes.reduce((n, ch) => n + ch.deletions, 0)).toBe(p.deletions);
      }
      expect(repo.commits.filter((c) => c.prNumber !== null)).toHaveLength(org.pulls.filter((x) => x.repo === repo.name && x.mergedAt).length);
      const dates = repo.commits.map((c) => c.date);
      expect([...dates].sort()).toEqual(dates);
    }
    const all = org.repos.flatMap((r) => r.commits);
    expect(all.some((c) => c.changes.some((ch) => ch.kind === 'rename')) && all.some((c) => c.changes.some((ch) => ch.kind === 'delete'))).toBe(true);
    const emails = new Map<string, Set<string>>();
    for (const c of all) if (c.authorLogin) emails.set(c.authorLogin, (emails.get(c.authorLogin) ?? new Set()).add(`${c.authorName}<${c.authorEmail}>`));
    expect([...emails.values()].some((s) => s.size > 1)).toBe(true);
  });
});
