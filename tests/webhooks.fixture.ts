// Shared by the webhook tests: deliveries signed as GitHub signs them (with @octokit/webhooks,
// not an HMAC of our own), payloads cut from GitHub's published examples, and the rows a
// delivery may leave behind.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Webhooks } from '@octokit/webhooks';
import type { Db } from '../server/db/connect.ts';

export const SECRET = 'webhook-secret-for-tests-0123456789';

// The package's main is api.github.com/index.json: every event with its examples.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: unknown[] }[];

/** GitHub's example payloads of one event, deep-copied so a test may change them. */
export function examplesOf(event: string): Record<string, any>[] {
  const found = examples.find((e) => e.name === event);
  if (!found) throw new Error(`no examples of ${event}`);
  return structuredClone(found.examples) as Record<string, any>[];
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

/** A delivery as GitHub sends it: JSON body, event and delivery headers, X-Hub-Signature-256 over the bytes. */
export async function signed(event: string, payload: unknown, o: { secret?: string; deliveryId?: string; body?: string } = {}): Promise<SignedDelivery> {
  const body = o.body ?? JSON.stringify(payload);
  const signature = await new Webhooks({ secret: o.secret ?? SECRET }).sign(body);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      'x-github-event': event,
      'x-github-delivery': o.deliveryId ?? randomUUID(),
      'x-hub-signature-256': signature,
    },
  };
}

/** A pull_request "opened" delivery for a repository Guidepost synced, from GitHub's example. */
export function openedPull(repo: { id: number; full_name: string; owner: string; name: string }, pr: { id: number; number: number; title: string; author: string; at: string }) {
  const p = examplesOf('pull_request').find((e) => e.action === 'opened')!;
  p.repository = { ...p.repository, id: repo.id, full_name: repo.full_name, name: repo.name, owner: { ...p.repository.owner, login: repo.owner } };
  p.number = pr.number;
  Object.assign(p.pull_request, { id: pr.id, node_id: `PR_${pr.id}`, number: pr.number, title: pr.title, state: 'open', draft: false, merged: false, merged_at: null, closed_at: null, merged_by: null });
  Object.assign(p.pull_request, { created_at: pr.at, updated_at: pr.at, user: { ...p.pull_request.user, login: pr.author, id: 90_000_000 + pr.number, type: 'User' } });
  return p;
}

/** Rows a refused delivery must not have left: deliveries recorded, raw payloads, PRs. */
export async function storedCounts(db: Db) {
  const count = async (t: 'webhook_deliveries' | 'raw_responses' | 'pull_requests' | 'reviews' | 'issue_comments' | 'review_comments' | 'team_members') =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    webhook_deliveries: await count('webhook_deliveries'),
    raw_responses: await count('raw_responses'),
    pull_requests: await count('pull_requests'),
    reviews: await count('reviews'),
    issue_comments: await count('issue_comments'),
    review_comments: await count('review_comments'),
    team_members: await count('team_members'),
  };
}
