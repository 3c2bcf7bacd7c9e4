import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';
import { OrgBuilder, NOW, at } from './signals.fixture.ts';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import { csrfHeaders } from '../server/middleware/csrf.ts';

// Suggested mentors for a newcomer: people who know the newcomer's repositories and have room
// for another mentee; never a peer without the tenure a mentor needs, nor someone who has left.

interface Suggestion {
  login: string;
  repos: string[];
  activity: number;
  files: number;
  mentees: number;
}
interface Gap {
  suggestedMentors: string[];
  suggestions: Suggestion[];
}

let t: TestDb;
let app: ReturnType<typeof createTestApp>;
let org: OrgBuilder;
/** The newcomer's no-mentor gap and the mentors suggested for it. */
async function gapOf(login: string): Promise<Gap> {
  const res = await app.request(`/api/mentoring?from=${at(90).slice(0, 10)}&to=${NOW.slice(0, 10)}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { gaps: { kind: string; login: string }[]; suggestedMentors: Record<string, Suggestion[]> };
  expect(body.gaps.find((g) => g.login === login && g.kind === 'no_mentor'), `a no_mentor gap for ${login}`).toBeDefined();
  const suggestions = body.suggestedMentors[login] ?? [];
  return { suggestedMentors: suggestions.map((s) => s.login), suggestions };
}

beforeAll(async () => {
  t = await createTestDb();
  org = new OrgBuilder(t.db);
  await org.repo('api', 1);
  await org.repo('web', 2);
  for (const l of ['apiexpert', 'webexpert', 'busy', 'junior', 'gone', 'newbie']) await org.person(l);
  await org.person('ci[bot]', { bot: true });
  const api = 1;
  const web = 2;
  for (const l of ['apiexpert', 'webexpert', 'busy']) await org.pr({ author: l, created: at(400), merged: at(399), repo: l === 'webexpert' ? web : api });
  await org.pr({ author: 'gone', created: at(500), merged: at(499), repo: api });
  await org.pr({ author: 'gone', created: at(170), merged: at(169), repo: api }); // knows api, but has left (nothing for 170 days)

  // busy guides junior in depth: a mentoring edge (400 vs 120 days of tenure).
  await org.pr({ author: 'junior', created: at(120), merged: at(119), repo: api });
  for (const d of [60, 50]) await org.review(await org.pr({ author: 'junior', created: at(d), merged: at(d - 2), repo: api }), 'busy', 'CHANGES_REQUESTED', at(d - 1), { inline: 2 });
  await org.pr({ author: 'busy', created: at(30), merged: at(29), repo: api });
  await org.review(await org.pr({ author: 'junior', created: at(45), merged: at(44), repo: api }), 'apiexpert', 'APPROVED', at(44.5));
  await org.pr({ author: 'apiexpert', created: at(50), merged: at(49), repo: api });
  await org.pr({ author: 'webexpert', created: at(40), merged: at(39), repo: web });

  // The newcomer works in api; only a peer and a bot have looked at their work.
  const first = await org.pr({ author: 'newbie', created: at(30), merged: at(28), repo: api });
  await org.review(first, 'junior', 'APPROVED', at(29));
  await org.review(first, 'ci[bot]', 'APPROVED', at(29));
  await org.pr({ author: 'newbie', created: at(20), repo: api });
  await deriveAll(t.db, { now: NOW });
  app = createTestApp(t);
});
afterAll(async () => t.close());

describe('suggested mentors', () => {
  it('are people active in the newcomer’s repositories, most involved first, with their mentees counted', async () => {
    const gap = await gapOf('newbie');
    // Not webexpert (knows only web), junior (too little tenure), gone (left), nor the bot.
    expect(gap.suggestedMentors).toEqual(['busy', 'apiexpert']);
    expect(gap.suggestions[0]).toEqual({ login: 'busy', repos: ['acme/api'], activity: 3, files: 0, mentees: 1 });
    expect(gap.suggestions[1]).toMatchObject({ login: 'apiexpert', repos: ['acme/api'], activity: 2, mentees: 0 });
  });

  it('count what git says someone authored in those repositories', async () => {
    await t.db
      .insertInto('knowledge_authors')
      .values({ repo_id: 1, author_key: `person:${org.id('webexpert')}`, person_id: org.id('webexpert'), name: 'Web Expert', email: 'web@example.com', files: 10, last_activity_at: at(40), is_departed: 0, tf_rank: 1, tf_rank_without_departed: 1 })
      .execute();
    const gap = await gapOf('newbie');
    expect(gap.suggestedMentors).toEqual(['webexpert', 'busy', 'apiexpert']);
    expect(gap.suggestions[0]).toMatchObject({ login: 'webexpert', files: 10, activity: 0 });
  });

  it('leave out anyone already at the mentee limit', async () => {
    const res = await app.request('/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...csrfHeaders() },
      body: JSON.stringify({ menteeLimit: 1 }),
    });
    expect(res.status).toBe(200);
    const gap = await gapOf('newbie');
    expect(gap.suggestedMentors).toEqual(['webexpert', 'apiexpert']);
  });
});
