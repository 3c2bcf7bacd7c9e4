// A small hand-made SimOrg for simulator server tests that must not depend on the generator:
// two repos, 130 PRs (so lists need several pages), a bot, a deleted user, a team request.
import type { SimCommit, SimOrg, SimPerson, SimPull } from '../simulator/model.ts';

const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().replace('.000Z', 'Z');

function person(id: number, login: string, extra: Partial<SimPerson> = {}): SimPerson {
  return {
    id,
    nodeId: Buffer.from(`04:User${id}`).toString('base64'),
    login,
    name: login === 'zoe' ? 'Zoë Ünlü' : login,
    email: `${login}@example.org`,
    type: 'User',
    joinedAt: day(0),
    leftAt: null,
    isMember: true,
    deleted: false,
    ...extra,
  };
}

export function handmadeOrg(): SimOrg {
  const people = [
    person(101, 'ada'),
    person(102, 'zoe'),
    person(103, 'old-timer', { deleted: true, isMember: false, leftAt: day(30) }),
    person(104, 'dependabot[bot]', { type: 'Bot', isMember: false }),
  ];
  const pulls: SimPull[] = [];
  const commitsByRepo: Record<string, SimCommit[]> = { api: [], web: [] };
  let id = 1000;
  for (const repo of ['api', 'web'] as const) {
    commitsByRepo[repo]!.push({
      id: `${repo}-init`, prNumber: null, authorLogin: 'ada', authorName: 'ada', authorEmail: 'ada@example.org',
      date: day(0), message: 'Initial import', changes: [{ path: 'src/a.ts', kind: 'add', additions: 10, deletions: 0 }],
    });
    const count = repo === 'api' ? 120 : 10;
    for (let n = 1; n <= count; n++) {
      const author = ['ada', 'zoe', 'old-timer', 'dependabot[bot]'][n % 4]!;
      const reviewer = author === 'ada' ? 'zoe' : 'ada';
      const created = day(1 + n);
      const merged = n % 3 !== 0 ? day(2 + n) : null;
      const closed = merged ?? (n % 6 === 0 ? day(3 + n) : null);
      const commitId = `${repo}-pr${n}`;
      if (merged) {
        commitsByRepo[repo]!.push({
          id: commitId, prNumber: n, authorLogin: author, authorName: author, authorEmail: `${author}@example.org`,
          date: merged, message: `Change ${n} (#${n})`, changes: [{ path: `src/f${n}.ts`, kind: 'add', additions: n, deletions: 0 }],
        });
      }
      const reviewId = (id += 1);
      pulls.push({
        id: (id += 1), nodeId: Buffer.from(`PR${id}`).toString('base64'), repo, number: n, title: `Change ${n}`, body: '',
        author, headRef: `feature-${n}`, baseRef: 'main', createdAt: created, updatedAt: closed ?? day(2 + n),
        closedAt: closed, mergedAt: merged, mergedBy: merged ? reviewer : null, isDraft: closed === null && n % 5 === 0,
        readyAt: n % 7 === 0 ? day(1 + n) : null, additions: n * 3, deletions: n, changedFiles: 1 + (n % 4),
        commitIds: [commitId],
        reviewRequests: [
          { reviewer, team: null, requestedAt: created, pending: false },
          ...(n % 4 === 1 ? [{ reviewer: null, team: 'core', requestedAt: created, pending: closed === null }] : []),
        ],
        reviews: [
          { id: reviewId, nodeId: Buffer.from(`R${reviewId}`).toString('base64'), author: reviewer, state: n % 2 ? 'APPROVED' : 'CHANGES_REQUESTED', body: n % 2 ? '' : 'Please split this.', submittedAt: day(1.5 + n) },
        ],
        reviewComments:
          n % 2 === 0
            ? [{ id: (id += 1), nodeId: `RC${id}`, reviewId, author: reviewer, body: 'Why?', path: `src/f${n}.ts`, line: 3, createdAt: day(1.5 + n), updatedAt: day(1.5 + n), inReplyTo: null }]
            : [],
        issueComments: n % 3 === 1 ? [{ id: (id += 1), nodeId: `IC${id}`, author: 'zoe', body: 'Thanks!', createdAt: day(1.6 + n), updatedAt: day(1.6 + n) }] : [],
      });
    }
  }
  return {
    seed: 0,
    scale: 'snapshot',
    now: day(200),
    org: { id: 9001, nodeId: 'MDEyOk9yZ2FuaXphdGlvbjkwMDE=', login: 'acme', name: 'Acme', createdAt: day(0) },
    people,
    teams: [{ id: 7, nodeId: 'T7', slug: 'core', name: 'Core', description: 'Core team', members: ['ada', 'zoe'] }],
    repos: (['api', 'web'] as const).map((name, i) => ({
      id: 500 + i, nodeId: `R_${name}`, name, description: `The ${name}`, defaultBranch: 'main', createdAt: day(0),
      isPrivate: false, isArchived: false, commits: commitsByRepo[name]!,
    })),
    pulls,
    truth: {
      org: 'acme', now: day(200), seed: 0,
      settings: { newcomerDays: 90, menteeLimit: 5, rubberStampLines: 200, mentorTenureGapDays: 180 },
      mentorPairs: [], newcomers: [], newcomersWithoutMentor: [], overloadedMentors: [], loadCarriers: [],
      rubberStampers: [], knowledgeIslands: [], departedOwners: [], bots: ['dependabot[bot]'], ghost: 'old-timer',
    },
  };
}
