import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from './harness.ts';
import { buildRepo, type FixtureCommit } from './knowledge.fixture.ts';
import { analyseLocalRepository, type LocalKnowledge } from '../jobs/git/knowledge.local.ts';

// Hand-computed DOA (Avelino et al. 2016): 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC).
const doa = (fa: number, dl: number, ac: number) => 3.293 + 1.098 * fa + 0.164 * dl - 0.321 * Math.log(1 + ac);

const ALICE = 'Alice Smith <Alice@Example.com>';
const ALICE_ALIAS = 'A. Smith <alice@example.com>'; // same e-mail, other case
const BOB_WORK = 'Bob Builder <bob@work.com>';
const BOB_HOME = 'bob builder <bob@home.net>'; // same name, other case
const CAROL = 'Carol <carol@example.com>';
const DAVE = 'Dave <dave@example.com>';
const ERIN = 'Erin <erin@example.com>';
const FRANK = 'Frank <frank@example.com>';

const history: FixtureCommit[] = [
  { author: ALICE, date: '2024-01-01T10:00:00Z', add: ['src/b.ts', 'src/c.ts', 'src/d.ts', 'README.md', 'vendor/lib.js', 'package-lock.json', 'docs/guide.md'] },
  { author: ALICE_ALIAS, date: '2024-01-02T10:00:00Z', add: ['src/a.ts'] },
  { author: ALICE, date: '2024-01-03T10:00:00Z', add: ['.gitattributes', 'gen/api.ts', 'gen/types.ts'], content: { '.gitattributes': 'gen/** linguist-generated=true\n' } },
  { author: BOB_WORK, date: '2024-05-01T10:00:00Z', modify: ['src/a.ts'] },
  { author: BOB_HOME, date: '2024-05-02T10:00:00Z', modify: ['src/a.ts'] },
  { author: CAROL, date: '2024-05-03T10:00:00Z', add: ['lib/x.ts'] },
  // Dave moves b.ts: history follows the rename, so Alice stays its creator.
  { author: DAVE, date: '2024-05-04T10:00:00Z', rename: [['src/b.ts', 'lib/b.ts']] },
  { author: CAROL, date: '2024-05-05T10:00:00Z', modify: ['lib/b.ts'] },
  { author: CAROL, date: '2024-05-06T10:00:00Z', modify: ['lib/b.ts'] },
  { author: CAROL, date: '2024-05-07T10:00:00Z', modify: ['lib/b.ts'], label: 'base' },
  // Deleted by Dave, re-created by Erin: the delete is ignored, Erin's add counts as creating.
  { author: DAVE, date: '2024-05-08T10:00:00Z', remove: ['src/c.ts'] },
  { author: ERIN, date: '2024-05-09T10:00:00Z', add: ['src/c.ts'], label: 'main-tip' },
  { author: DAVE, date: '2024-05-10T10:00:00Z', branch: 'feature', from: 'main-tip', add: ['lib/y.ts'], label: 'feature-tip' },
  { author: CAROL, date: '2024-05-11T10:00:00Z', modify: ['lib/x.ts'] },
  // Frank only merges: a merge contributes no file changes, so Frank authors nothing.
  { author: FRANK, date: '2024-06-01T10:00:00Z', merge: 'feature-tip', carry: ['lib/y.ts'] },
  { author: ERIN, date: '2024-06-01T11:00:00Z', modify: ['gen/api.ts', 'gen/types.ts', 'vendor/lib.js', 'docs/guide.md'] },
];

describe('degree of authorship and truck factor on a hand-built history', () => {
  const tmp = tempDir();
  let report: LocalKnowledge;
  // A merged identity's key is `git:` + the smallest of its e-mails (lower case).
  const authorsOf = (file: string) => (report.details.get(file) ?? []).map((a) => a.author.replace(/^git:/, '')).sort();
  const doaOf = (file: string, email: string) => report.details.get(file)?.find((a) => a.author === `git:${email}`)?.doa;

  beforeAll(async () => {
    buildRepo(join(tmp.dir, 'repo'), history);
    report = await analyseLocalRepository(join(tmp.dir, 'repo'), { details: true });
  });
  afterAll(() => tmp.cleanup());

  it('counts only code files: vendored, generated, documentation and data files are left out', () => {
    expect([...report.fileAuthors.keys()].sort()).toEqual(['lib/b.ts', 'lib/x.ts', 'lib/y.ts', 'src/a.ts', 'src/c.ts', 'src/d.ts']);
    expect(report.excludedFiles).toBe(7); // README, docs, vendor, package-lock, .gitattributes, gen/*
  });

  it('merges identities by e-mail or name regardless of case', () => {
    // a.ts: Alice created it (as "A. Smith"), Bob changed it twice under two e-mails.
    expect(doaOf('src/a.ts', 'alice@example.com')).toBeCloseTo(doa(1, 0, 2), 6);
    expect(doaOf('src/a.ts', 'bob@home.net')).toBeCloseTo(doa(0, 2, 1), 6);
    // Unmerged, each Bob would have doa(0, 1, 2) < 3.293 and not be an author.
    expect(authorsOf('src/a.ts')).toEqual(['alice@example.com', 'bob@home.net']);
    expect(report.people.map((p) => p.key).sort()).toEqual(['alice@example.com', 'bob@home.net', 'carol@example.com', 'dave@example.com', 'erin@example.com'].map((e) => `git:${e}`));
  });

  it('follows renames: the creator before a move stays the creator', () => {
    expect(authorsOf('lib/b.ts')).toEqual(['alice@example.com', 'carol@example.com']);
    expect(doaOf('lib/b.ts', 'alice@example.com')).toBeCloseTo(doa(1, 0, 4), 6);
    expect(doaOf('lib/b.ts', 'carol@example.com')).toBeCloseTo(doa(0, 3, 2), 6);
  });

  it('treats a re-created file as created by both, ignoring the delete', () => {
    expect(authorsOf('src/c.ts')).toEqual(['alice@example.com', 'erin@example.com']);
    expect(doaOf('src/c.ts', 'erin@example.com')).toBeCloseTo(doa(1, 0, 1), 6);
  });

  it('gives merge commits no file changes', () => {
    expect(authorsOf('lib/y.ts')).toEqual(['dave@example.com']);
    expect(report.people.some((p) => p.key === 'git:frank@example.com')).toBe(false);
    expect(authorsOf('lib/x.ts')).toEqual(['carol@example.com']);
  });

  it('computes the truck factor greedily (Algorithm 1), with the people and files it covers', () => {
    // alice 4 files, carol 2, bob/dave/erin 1: after alice 5/6 covered, after carol 3/6, after bob 2/6.
    expect(report.truckFactor).toBe(3);
    // Bob, Dave and Erin tie at one file; ties go by key.
    expect(report.truckFactorAuthors.map((a) => a.key)).toEqual(['git:alice@example.com', 'git:carol@example.com', 'git:bob@home.net']);
    expect(report.truckFactorAuthors[0]!.coveredFiles).toEqual(['lib/b.ts', 'src/a.ts', 'src/c.ts', 'src/d.ts']);
    expect(report.truckFactorAuthors[1]!.coveredFiles).toEqual(['lib/b.ts', 'lib/x.ts']);
  });

  it('reports the view without departed people beside the plain figure', () => {
    // Alice's last commit is 5 months before the revision: left out first, then carol and bob.
    expect(report.people.find((p) => p.key === 'git:alice@example.com')!.departed).toBe(true);
    expect(report.people.filter((p) => p.departed)).toHaveLength(1);
    expect(report.truckFactorWithoutDeparted).toBe(2);
    expect(report.orphanedFiles).toEqual(['src/d.ts']);
  });
});
