import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCommits, buildRepos, serveGit } from '../simulator/git/index.ts';
import type { SimCommit, SimFileChange, SimOrg, SimPerson, SimPull } from '../simulator/model.ts';
import { startGitHost, type GitHost } from './simulator.git.fixture.ts';

const run = promisify(execFile);
const git = async (args: string[], cwd?: string) => (await run('git', args, { cwd, timeout: 30_000, maxBuffer: 16 << 20 })).stdout;

// A hand-made org: an import commit, squash merges by people with non-ASCII names, a rename,
// a delete, a path with a space and one with an accent, and a second repository.
const people: SimPerson[] = [
  person(1, 'ada', 'Ada Lovelace', 'ada@example.org'),
  person(2, 'zoe', 'Zoë Ünlü', 'zoe@example.org'),
  person(3, 'grace', 'Grace Hopper', 'grace@navy.example'),
];
const pulls: SimPull[] = [];
const apiCommits: SimCommit[] = [
  commit('c0', null, people[0]!, '2025-01-02T09:00:00Z', 'Initial import', [
    add('src/a.ts', 40), add('src/b.ts', 12), add('README.md', 3), add('docs/guide.md', 8),
  ]),
  merged('api', 1, 'Add billing service', people[1]!, '2025-01-10T15:30:00Z', [add('services/billing/invoice.ts', 300), modify('src/a.ts', 5)]),
  merged('api', 3, 'Move b to c and drop the guide', people[2]!, '2025-02-01T08:05:09Z', [rename('src/b.ts', 'src/c.ts'), del('docs/guide.md')]),
  commit('c3', null, people[0]!, '2025-02-03T12:00:00Z', 'Direct push: fix typo', [modify('README.md', 1)]),
  merged('api', 4, 'Write notes', people[1]!, '2025-02-20T23:59:59Z', [add('docs/my notes.md', 2), add('docs/café.md', 2)]),
];
const webCommits: SimCommit[] = [merged('web', 2, 'Bootstrap the web app', people[2]!, '2025-01-05T10:00:00Z', [add('web/index.html', 20)])];
const org = simOrg([
  { name: 'api', commits: apiCommits },
  { name: 'web', commits: webCommits },
]);

describe('simulated git repositories', () => {
  let host: GitHost;
  let tmp: string;
  let base: string;
  let shas: Map<string, Map<string, string>>;

  beforeAll(async () => {
    host = await startGitHost((app, dir) => {
      app.all('/git/:org/:repo{.+\\.git}/*', (c) => {
        const repo = c.req.param('repo').slice(0, -'.git'.length);
        const prefix = `/git/${c.req.param('org')}/${repo}.git`;
        return serveGit(c.req.raw, { reposRoot: join(dir, 'repos'), repo, pathInfo: c.req.path.slice(prefix.length) });
      });
    });
    ({ tmp, base } = host);
    shas = await buildRepos(org, join(tmp, 'repos'));
  });

  afterAll(async () => host?.close());

  it('clones blob-less over HTTP and the log is the model: squash commits, authors, dates, files, a rename', async () => {
    const clone = join(tmp, 'api-clone.git');
    await git(['clone', '--quiet', '--bare', '--filter=blob:none', `${base}/api.git`, clone]);
    expect(await git(['config', 'remote.origin.partialclonefilter'], clone)).toBe('blob:none\n');
    const types = await git(['cat-file', '--batch-all-objects', '--batch-check=%(objecttype)'], clone);
    expect(types).toContain('commit');
    expect(types).not.toContain('blob'); // the server honoured the filter

    const log = await readLog(clone);
    const expected = [...apiCommits].reverse().map((c) => ({
      sha: shas.get('api')?.get(c.id),
      subject: c.message,
      author: `${c.authorName} <${c.authorEmail}>`,
      committer: `${c.authorName} <${c.authorEmail}>`,
      time: Date.parse(c.date) / 1000,
      files: c.changes.map(nameStatus).sort(),
    }));
    expect(log).toEqual(expected);

    // One squash commit per merged PR, titled `<title> (#<n>)`, authored by the PR author at merge time.
    for (const pr of pulls.filter((p) => p.repo === 'api' && p.mergedAt)) {
      const hits = log.filter((l) => l.subject === `${pr.title} (#${pr.number})`);
      const author = people.find((p) => p.login === pr.author)!;
      expect(hits).toHaveLength(1);
      expect(hits[0]).toMatchObject({ author: `${author.name} <${author.email}>`, time: Date.parse(pr.mergedAt!) / 1000 });
    }
    expect(log.find((l) => l.subject.includes('(#3)'))?.files).toContain('R100\tsrc/b.ts\tsrc/c.ts');
    // The date is in UTC, as GitHub's squash merges are.
    expect(await git(['log', '-1', '--format=%aI %cI'], clone)).toBe('2025-02-20T23:59:59+00:00 2025-02-20T23:59:59+00:00\n');
  });

  it('serves each repository on its own path with its own history', async () => {
    const clone = join(tmp, 'web-clone.git');
    await git(['clone', '--quiet', '--bare', '--filter=blob:none', `${base}/web.git`, clone]);
    const log = await readLog(clone);
    expect(log.map((l) => l.subject)).toEqual(['Bootstrap the web app (#2)']);
    expect(log[0]?.sha).toBe(shas.get('web')?.get('web#2'));
  });

  it('brings exactly the appended commits on the next fetch', async () => {
    const clone = join(tmp, 'api-fetch.git');
    await git(['clone', '--quiet', '--bare', '--filter=blob:none', `${base}/api.git`, clone]);
    const before = (await git(['rev-parse', 'HEAD'], clone)).trim();

    const late = [
      merged('api', 7, 'Late change to billing', people[2]!, '2025-03-01T10:00:00Z', [modify('services/billing/invoice.ts', 30)]),
      merged('api', 8, 'Rename the notes', people[0]!, '2025-03-02T11:00:00Z', [rename('docs/my notes.md', 'docs/notes.md')]),
    ];
    const added = await appendCommits(org, join(tmp, 'repos'), 'api', late);
    expect([...added.keys()]).toEqual(['api#7', 'api#8']);

    await git(['fetch', '--quiet', 'origin', '+refs/heads/*:refs/heads/*'], clone);
    const fetched = (await git(['rev-list', '--reverse', `${before}..HEAD`], clone)).trim().split('\n');
    expect(fetched).toEqual([...added.values()]);
    const log = await readLog(clone);
    expect(log[0]).toMatchObject({ subject: 'Rename the notes (#8)', files: ['R100\tdocs/my notes.md\tdocs/notes.md'] });
    expect(log[1]).toMatchObject({ subject: 'Late change to billing (#7)', author: 'Grace Hopper <grace@navy.example>' });
  });

  it('gives identical SHAs when the same org is built twice, and the same for appended commits', async () => {
    const again = await buildRepos(org, join(tmp, 'again'));
    const third = await buildRepos(org, join(tmp, 'third'));
    expect(again).toEqual(shas);
    expect(third).toEqual(shas);
    const more = [merged('web', 9, 'Same late PR', people[1]!, '2025-03-05T00:00:00Z', [modify('web/index.html', 3)])];
    const one = await appendCommits(org, join(tmp, 'again'), 'web', more);
    const other = await appendCommits(org, join(tmp, 'third'), 'web', more);
    expect(one.get('web#9')).toMatch(/^[0-9a-f]{40}$/);
    expect(one).toEqual(other);
  });

  it('answers a gzip-encoded protocol v2 request', async () => {
    const body = gzipSync(Buffer.from(`${pkt('command=ls-refs\n')}0001${pkt('symrefs\n')}0000`));
    const res = await fetch(`${base}/web.git/git-upload-pack`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-git-upload-pack-request', 'content-encoding': 'gzip', 'git-protocol': 'version=2' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    const text = await res.text();
    expect(text).toContain('HEAD symref-target:refs/heads/main');
    expect(text).toMatch(/[0-9a-f]{40} refs\/heads\/main/);
  });

  // ---- helpers -------------------------------------------------------------------------------

  async function readLog(repo: string) {
    const out = await git(['-c', 'core.quotePath=false', 'log', '-M', '--name-status', '--format=%x1e%H%x1f%an <%ae>%x1f%cn <%ce>%x1f%at%x1f%ct%x1f%s'], repo);
    return out.split('\x1e').filter(Boolean).map((block) => {
      const [head = '', ...rest] = block.split('\n');
      const [sha, author, committer, at, ct, subject] = head.split('\x1f');
      expect(at).toBe(ct); // committer date = author date
      return { sha, subject: subject ?? '', author, committer, time: Number(at), files: rest.filter(Boolean).sort() };
    });
  }
});

function nameStatus(ch: SimFileChange): string {
  if (ch.kind === 'rename') return `R100\t${ch.from}\t${ch.path}`;
  return `${{ add: 'A', modify: 'M', delete: 'D' }[ch.kind]}\t${ch.path}`;
}

function pkt(s: string): string {
  return (s.length + 4).toString(16).padStart(4, '0') + s;
}

function add(path: string, additions: number): SimFileChange {
  return { path, kind: 'add', additions, deletions: 0 };
}
function modify(path: string, additions: number): SimFileChange {
  return { path, kind: 'modify', additions, deletions: 1 };
}
function del(path: string): SimFileChange {
  return { path, kind: 'delete', additions: 0, deletions: 10 };
}
function rename(from: string, path: string): SimFileChange {
  return { path, from, kind: 'rename', additions: 0, deletions: 0 };
}

function commit(id: string, prNumber: number | null, who: SimPerson, date: string, message: string, changes: SimFileChange[]): SimCommit {
  return { id, prNumber, authorLogin: who.login, authorName: who.name ?? who.login, authorEmail: who.email, date, message, changes };
}

/** A merged PR and its squash commit, kept consistent the way the generator keeps them. */
function merged(repo: string, number: number, title: string, who: SimPerson, mergedAt: string, changes: SimFileChange[]): SimCommit {
  const id = `${repo}#${number}`;
  pulls.push({
    id: 1000 + number, nodeId: `PR_${number}`, repo, number, title, body: '', author: who.login, headRef: `topic-${number}`, baseRef: 'main',
    createdAt: '2025-01-01T00:00:00Z', updatedAt: mergedAt, closedAt: mergedAt, mergedAt, mergedBy: who.login, isDraft: false, readyAt: null,
    additions: changes.reduce((s, c) => s + c.additions, 0), deletions: changes.reduce((s, c) => s + c.deletions, 0), changedFiles: changes.length,
    commitIds: [id], reviewRequests: [], reviews: [], reviewComments: [], issueComments: [],
  });
  return commit(id, number, who, mergedAt, `${title} (#${number})`, changes);
}

function person(id: number, login: string, name: string, email: string): SimPerson {
  return { id, nodeId: `U_${id}`, login, name, email, type: 'User', joinedAt: '2024-01-01T00:00:00Z', leftAt: null, isMember: true, deleted: false };
}

function simOrg(repos: { name: string; commits: SimCommit[] }[]): SimOrg {
  return {
    seed: 1, scale: 'tiny', now: '2025-03-31T00:00:00Z',
    org: { id: 1, nodeId: 'O_1', login: 'acme', name: 'Acme', createdAt: '2024-01-01T00:00:00Z' },
    people, teams: [], pulls,
    repos: repos.map((r, i) => ({
      id: i + 1, nodeId: `R_${i + 1}`, name: r.name, description: '', defaultBranch: 'main', createdAt: '2024-01-01T00:00:00Z',
      isPrivate: false, isArchived: false, commits: r.commits,
    })),
    truth: {
      org: 'acme', now: '2025-03-31T00:00:00Z', seed: 1,
      settings: { newcomerDays: 90, menteeLimit: 5, rubberStampLines: 200, mentorTenureGapDays: 180 },
      mentorPairs: [], newcomers: [], newcomersWithoutMentor: [], overloadedMentors: [], loadCarriers: [], rubberStampers: [],
      knowledgeIslands: [], departedOwners: [], bots: [], ghost: null,
    },
  };
}
