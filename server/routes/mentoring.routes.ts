import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { buildReport } from '../signals/report.ts';
import { readSettings } from '../settings.ts';
import { teamGuard } from '../signals/privacy.ts';
import { filterQuery } from './filters.ts';
import { suggestMentors, type MentorSuggestion } from '../signals/mentor-suggestions.ts';

/** Who mentors whom (the graph), newcomers' first months and the gaps, each with its reason and suggested mentors. */
export function mentoringRoutes() {
  return new Hono<AppEnv>().get('/', filterQuery, async (c) => {
    const { db } = c.get('deps');
    const settings = await readSettings(db);
    const report = await buildReport(db, c.req.valid('query'), { settings });
    const guard = await teamGuard(db, report.team, report.teamName, settings);
    const mentoring = guard ? { edges: [], newcomers: [], newcomersWithoutMentor: [], overloadedMentors: [], gaps: [] } : report.mentoring;
    const suggested = guard ? new Map<string, MentorSuggestion[]>() : await suggestMentors(db, report, settings);
    return c.json({
      suppressed: guard,
      from: report.from,
      to: report.to,
      asOf: report.asOf,
      team: report.team,
      teamName: report.teamName,
      repo: report.repo,
      group: report.group,
      ...mentoring,
      menteeLimit: settings.menteeLimit,
      /** Suggested mentors per newcomer login in `gaps`, best first (server/signals/mentor-suggestions.ts). */
      suggestedMentors: Object.fromEntries(suggested) as Record<string, MentorSuggestion[]>,
    });
  });
}
