import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

// Pending review requests (one rule for every surface): a person asked to review an open pull
// request who has not reviewed it since they were last asked. Seen at `asOf` (the end of the
// window, or of the synced history when that is earlier), so a past window reads as it was then.

export interface PendingScope {
  asOf: string;
  /** Only requests to these people (the counted people, narrowed by a team filter). */
  reviewers: ReadonlySet<number>;
  repoId?: number | undefined;
  /** Only this reviewer (a person's page). */
  reviewerId?: number | undefined;
}

/** Pending requests as (PR, reviewer) pairs; the count a tile shows is its length. */
export async function pendingRequests(db: Db, s: PendingScope): Promise<{ pull_request_id: number; reviewer_id: number; requested_at: string }[]> {
  const rows = await sql<{ pull_request_id: number; reviewer_id: number; requested_at: string }>`
    select q.pull_request_id, q.reviewer_id, q.requested_at from (
      select rr.pull_request_id, rr.reviewer_id, max(rr.requested_at) as requested_at
      from review_requests rr join pull_requests pr on pr.id = rr.pull_request_id
      where rr.reviewer_id is not null
        and rr.requested_at < ${s.asOf}
        and pr.created_at < ${s.asOf}
        and (pr.merged_at is null or pr.merged_at >= ${s.asOf})
        and (pr.closed_at is null or pr.closed_at >= ${s.asOf})
        ${s.repoId === undefined ? sql`` : sql`and pr.repo_id = ${s.repoId}`}
        ${s.reviewerId === undefined ? sql`` : sql`and rr.reviewer_id = ${s.reviewerId}`}
      group by rr.pull_request_id, rr.reviewer_id
    ) q
    where not exists (
      select 1 from reviews r
      where r.pull_request_id = q.pull_request_id and r.reviewer_id = q.reviewer_id
        and r.submitted_at >= q.requested_at and r.submitted_at < ${s.asOf})`.execute(db);
  return rows.rows.filter((r) => s.reviewers.has(r.reviewer_id));
}
