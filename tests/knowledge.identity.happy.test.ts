import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { guidepost } from './cli.fixture.ts';
import { tempDir } from './harness.ts';
import { buildRepo, type FixtureCommit } from './knowledge.fixture.ts';

// One history holding each alias shape of issue 14 (gambit's, plus .mailmap and GitHub's), and
// the generic names and addresses that many people share. Every identity writes files of its own.
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
const SVN = '6c5a3b2e-1f4d-4e8b-9a7c-2d3e4f5a6b7c';
const authors = [
  // names differing by case, accents, punctuation, spaces, or written "Last, First"
  'Jane.Doe <jane@corp.com>',
  'jane doe <jd@home.net>',
  'Doe, Jane <jane.d@old.org>',
  'Zoë Ångström <zoe@a.io>',
  'Zoe Angstrom <za@b.io>',
  // a name equal to another identity's e-mail local part
  'Marta Kowalska <mkowalska@corp.pl>',
  'mkowalska <marta@home.pl>',
  // a name equal to a login of a GitHub no-reply address
  'Piotr Nowak <1234+pnowak@users.noreply.github.com>',
  'pnowak <piotr@corp.pl>',
  // both no-reply forms of one login
  'Sam Lee <77+samlee@users.noreply.github.com>',
  'S. Lee <samlee@users.noreply.github.com>',
  // an SVN import's user@<uuid> and the same user's mailbox
  `lchen <lchen@${SVN}>`,
  'Li Chen <lchen@corp.com>',
  // mapped by the .mailmap at the revision
  'Rob Brown <rob@corp.com>',
  'bobby <bobby@old-laptop.lan>',
  // generic: never merged with one another
  'root <root@localhost>',
  'root <root@build-7.corp.com>',
  'admin <admin@corp.com>',
  'Admin <admin@shop.io>',
  'unknown <unknown@corp.com>',
  'Unknown <nobody@shop.io>',
  'Alice Web <noreply@github.com>',
  'Bob Web <noreply@github.com>',
  'user <user@localhost>',
  'User <user@localhost.localdomain>',
  `(no author) <(no author)@${SVN}>`,
  '(no author) <(no author)@0e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b>',
];
const commits: FixtureCommit[] = authors.map((author, i) => ({ author, date: day(i), add: [`src/f${i}.ts`] }));
commits.push({
  author: 'Rob Brown <rob@corp.com>',
  date: day(40),
  add: ['.mailmap'],
  content: { '.mailmap': '# who is who\nRob Brown <rob@corp.com> <bobby@old-laptop.lan>\n' },
  label: 'mailmap',
});
const repo = join(tmp.dir, 'aliases.git');
buildRepo(repo, commits, { bare: true });

interface Out {
  owners: { name: string; email: string; files: number }[];
  identities: { key: string; members: { email: string }[]; links: { rule: string }[] }[];
}
const groups: [emails: string[], rule: string][] = [
  [['jane@corp.com', 'jd@home.net', 'jane.d@old.org'], 'name'],
  [['zoe@a.io', 'za@b.io'], 'name'],
  [['mkowalska@corp.pl', 'marta@home.pl'], 'email-base'],
  [['1234+pnowak@users.noreply.github.com', 'piotr@corp.pl'], 'login'],
  [['77+samlee@users.noreply.github.com', 'samlee@users.noreply.github.com'], 'login'],
  [[`lchen@${SVN}`, 'lchen@corp.com'], 'email-base'],
  [['rob@corp.com', 'bobby@old-laptop.lan'], 'mailmap'],
];
const generic = 12;

describe.concurrent('one person, one identity (guidepost knowledge)', { timeout: 150_000 }, () => {
  it('merges each alias shape into one author and keeps generic names and addresses apart', async () => {
    const r = await guidepost(['knowledge', repo, '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Out;
    expect(out.owners).toHaveLength(groups.length + generic);
    for (const [emails, rule] of groups) {
      const merged = out.identities.filter((m) => m.members.some((x) => emails.includes(x.email)));
      expect(merged, emails.join(' ')).toHaveLength(1);
      expect(merged[0]!.members.map((x) => x.email).sort()).toEqual([...emails].sort());
      expect(merged[0]!.links.map((l) => l.rule)).toContain(rule);
    }
    // Each merged person authors every file of its aliases: one place among the authors, not two.
    expect(out.owners.filter((o) => o.files === 3)).toHaveLength(1);
    const genericEmails = authors.slice(-generic).map((a) => /<(.*)>/.exec(a)![1]);
    for (const m of out.identities) for (const x of m.members) expect(genericEmails).not.toContain(x.email);
  });

  it('reads the .mailmap of the analysed revision, not a later one', async () => {
    const r = await guidepost(['knowledge', repo, '--rev', 'HEAD~1', '--json']);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.identities.some((m) => m.members.some((x) => x.email === 'bobby@old-laptop.lan'))).toBe(false);
    expect(out.owners).toHaveLength(groups.length + generic + 1);
  });

  it('lists the merged identities with their rules in the text report', async () => {
    const r = await guidepost(['knowledge', repo, '--top', '20']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Identities merged into one person: ${groups.length}`);
    expect(r.stdout).toMatch(/Rob Brown: .*bobby <bobby@old-laptop\.lan>.*\(mailmap\)/);
  });
});
