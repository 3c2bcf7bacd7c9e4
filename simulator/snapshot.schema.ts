// The snapshot format (docs/simulator.md) as a zod schema: one JSON object holding a whole
// simulated organisation, so a recorded or hand-written org can be served instead of a generated one.
import { z } from 'zod';

const time = z.iso.datetime({ message: 'expected an ISO-8601 UTC time such as 2026-05-01T12:00:00Z' });
const login = z.string().min(1);

const person = z.object({
  id: z.number().int().positive(), nodeId: z.string().min(1), login,
  name: z.string().nullable(), email: z.string(), type: z.enum(['User', 'Bot']),
  joinedAt: time, leftAt: time.nullable(), isMember: z.boolean(), deleted: z.boolean(),
});

const team = z.object({
  id: z.number().int().positive(), nodeId: z.string().min(1), slug: z.string().min(1), name: z.string(),
  description: z.string(), members: z.array(login),
});

const fileChange = z.object({
  path: z.string().min(1), kind: z.enum(['add', 'modify', 'delete', 'rename']), from: z.string().min(1).optional(),
  additions: z.number().int().nonnegative(), deletions: z.number().int().nonnegative(),
});

const commit = z.object({
  id: z.string().min(1), prNumber: z.number().int().positive().nullable(), authorLogin: login.nullable(),
  authorName: z.string(), authorEmail: z.string(), date: time, message: z.string(), changes: z.array(fileChange),
});

const repo = z.object({
  id: z.number().int().positive(), nodeId: z.string().min(1), name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-" only'),
  description: z.string(), defaultBranch: z.string().min(1), createdAt: time, isPrivate: z.boolean(), isArchived: z.boolean(),
  commits: z.array(commit),
  codeowners: z.object({ path: z.string().min(1), text: z.string() }).optional(),
});

const review = z.object({
  id: z.number().int().positive(), nodeId: z.string().min(1), author: login,
  state: z.enum(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED']), body: z.string(), submittedAt: time,
});

const reviewComment = z.object({
  id: z.number().int().positive(), nodeId: z.string().min(1), reviewId: z.number().int().positive(), author: login,
  body: z.string(), path: z.string().min(1), line: z.number().int().positive(), createdAt: time, updatedAt: time,
  inReplyTo: z.number().int().positive().nullable(),
});

const issueComment = z.object({
  id: z.number().int().positive(), nodeId: z.string().min(1), author: login, body: z.string(), createdAt: time, updatedAt: time,
});

const reviewRequest = z.object({
  reviewer: login.nullable(), team: z.string().nullable(), requestedAt: time, pending: z.boolean(),
}).refine((r) => (r.reviewer === null) !== (r.team === null), 'a review request names exactly one of reviewer or team');

const pull = z.object({
  id: z.number().int().positive(), nodeId: z.string().min(1), repo: z.string().min(1), number: z.number().int().positive(),
  title: z.string(), body: z.string(), author: login, headRef: z.string(), baseRef: z.string(),
  createdAt: time, updatedAt: time, closedAt: time.nullable(), mergedAt: time.nullable(), mergedBy: login.nullable(),
  isDraft: z.boolean(), readyAt: time.nullable(),
  additions: z.number().int().nonnegative(), deletions: z.number().int().nonnegative(), changedFiles: z.number().int().nonnegative(),
  commitIds: z.array(z.string()), files: z.array(fileChange).optional(),
  reviewRequests: z.array(reviewRequest), reviews: z.array(review), reviewComments: z.array(reviewComment), issueComments: z.array(issueComment),
});

const truth = z.object({
  org: z.string(), now: time, seed: z.number().int(),
  settings: z.object({ newcomerDays: z.number(), menteeLimit: z.number(), rubberStampLines: z.number(), mentorTenureGapDays: z.number() }),
  mentorPairs: z.array(z.object({ mentor: login, mentee: login })),
  newcomers: z.array(login), newcomersWithoutMentor: z.array(login), overloadedMentors: z.array(login),
  loadCarriers: z.array(login), rubberStampers: z.array(login),
  knowledgeIslands: z.array(z.object({ repo: z.string(), directory: z.string(), owner: login })),
  departedOwners: z.array(z.object({ login, repos: z.array(z.string()) })),
  bots: z.array(login), ghost: login.nullable(),
  codeowners: z.array(z.object({
    repo: z.string(), path: z.string(),
    rules: z.array(z.object({ line: z.number().int(), pattern: z.string(), files: z.number().int(), ownersNeverTouched: z.boolean(), mainAuthor: z.string().nullable(), mainAuthorDeclared: z.boolean().nullable() })),
    neverTouched: z.array(z.number().int()), undeclaredMainAuthor: z.array(z.number().int()), uncoveredFiles: z.array(z.string()),
    malformedLines: z.array(z.number().int()), unknownOwners: z.array(z.string()),
  })).optional(),
});

export const SNAPSHOT_FORMAT = 'guidepost-simulator-snapshot/1';

export const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT, { message: `expected "${SNAPSHOT_FORMAT}"` }),
  seed: z.number().int().nonnegative(),
  scale: z.enum(['tiny', 'small', 'medium', 'large', 'snapshot']),
  now: time,
  org: z.object({ id: z.number().int().positive(), nodeId: z.string().min(1), login: z.string().min(1), name: z.string(), createdAt: time }),
  people: z.array(person),
  teams: z.array(team),
  repos: z.array(repo),
  pulls: z.array(pull),
  /** Optional: computed from the data by the simulator's reference definitions when absent. */
  truth: truth.optional(),
});
