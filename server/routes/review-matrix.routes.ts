import { Hono } from 'hono';
import { z } from 'zod';
import { zValidator } from '@hono/zod-validator';
import type { AppEnv } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildReport, resolveFilter } from '../signals/report.ts';
import { hiddenTeams } from '../signals/privacy.ts';
import { formulas } from '../signals/formulas.ts';
import { readSettings, describeIssues } from '../settings.ts';
import { FilterQuery } from './filters.ts';
import { countedPeople } from '../signals/counted.ts';
import { reviewsByPair } from '../signals/activity.ts';

// Who reviews whom across teams: reviews given by members of team A on pull requests authored
// by members of team B, for every pair of teams. Teams are the rows and columns, so there is no
// team filter; the window and the repository narrow it like every other signal route.

const MatrixQuery = FilterQuery.pick({ from: true, to: true, repo: true });

const matrixQuery = zValidator('query', MatrixQuery, (result) => {
  if (!result.success) {
    const message = result.error.issues.map((i) => (i.code === 'custom' ? i.message : describeIssues(new z.ZodError([i])))).join(' ');
    throw new AppError('bad_request', `Invalid query: ${message}`);
  }
});

export function reviewMatrixRoutes() {
  return new Hono<AppEnv>().get('/', matrixQuery, async (c) => {
    const { db } = c.get('deps');
    const q = c.req.valid('query');
    const f = await resolveFilter(db, q);
    const settings = await readSettings(db);

    // The settings as they are now, even if they changed after the last derive.
    const people = await db.selectFrom('people').select(['id', 'login', 'is_bot', 'is_ghost']).execute();
    const counted = countedPeople(people, settings);
    const left = people.filter((p) => !counted.has(p.id)).map((p) => p.id);

    const members = await db.selectFrom('signal_team_members').select(['slug', 'person_id']).execute();
    const { hidden, sizes: size } = await hiddenTeams(db, settings);
    const all = await db.selectFrom('signal_teams').select(['slug', 'name']).orderBy('name').orderBy('slug').execute();
    const shown = all.filter((t) => !hidden.has(t.slug));
    // The headline share is the report's, so the matrix and the "Across teams" tile agree.
    const { crossTeam } = (await buildReport(db, { from: f.from, to: f.to, repo: f.repo?.fullName }, { settings })).reviews;
    const index = new Map(shown.map((t, i) => [t.slug, i]));

    // Reviews per reviewer → author pair from the week packs (server/signals/activity.ts),
    // then each pair into every (reviewer team, author team) cell.
    const leftOut = new Set(left);
    const teamsOf = new Map<number, number[]>();
    for (const m of members) {
      const i = index.get(m.slug);
      if (i !== undefined) teamsOf.set(m.person_id, [...(teamsOf.get(m.person_id) ?? []), i]);
    }
    const matrix = shown.map(() => shown.map(() => 0));
    for (const p of await reviewsByPair(db, f.from, f.to, f.repo?.id)) {
      if (leftOut.has(p.reviewer_id) || leftOut.has(p.author_id)) continue;
      for (const i of teamsOf.get(p.reviewer_id) ?? []) for (const j of teamsOf.get(p.author_id) ?? []) matrix[i]![j]! += p.n;
    }
    return c.json({
      from: f.from,
      to: f.to,
      repo: f.repo?.fullName ?? null,
      minGroupSize: settings.minGroupSize,
      /** Rows (reviewing team) and columns (author team), in this order. */
      teams: shown.map((t) => ({ slug: t.slug, name: t.name, members: size.get(t.slug) ?? 0 })),
      /** matrix[i][j]: reviews by members of teams[i] on PRs authored by members of teams[j]. */
      matrix,
      /** Reviews across teams of reviews between team members, each review once (as on the overview). */
      crossTeam,
      /** Teams left out by the privacy rule (server/signals/privacy.ts). */
      suppressed: all.filter((t) => !index.has(t.slug)).map((t) => ({ slug: t.slug, name: t.name, members: size.get(t.slug) ?? 0 })),
      formula: formulas(settings).reviewMatrix,
    });
  });
}
