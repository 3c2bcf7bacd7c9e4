import { describe, expect, it } from 'vitest';
import { validate } from '@octokit/graphql-schema';
import { PULLS_QUERY, PULL_OVERFLOW_QUERY, changesQuery, pullsPageCost, PULLS_PAGE_SIZE } from '../jobs/github/pulls.query.ts';

const errorsOf = (q: string) => validate(q).map((e) => e.message);

describe('the GraphQL queries the sync sends', () => {
  it('are valid against GitHub published schema', () => {
    expect(errorsOf(PULLS_QUERY)).toEqual([]);
    expect(errorsOf(PULL_OVERFLOW_QUERY)).toEqual([]);
    expect(errorsOf(changesQuery('acme', ['api', 'web-"quoted"']))).toEqual([]);
  });

  it('checks many repos in one query under one point', () => {
    const q = changesQuery('acme', Array.from({ length: 100 }, (_, i) => `repo-${i}`));
    expect(errorsOf(q)).toEqual([]);
    expect((q.match(/repository\(/g) ?? []).length).toBe(100);
  });

  it('keeps a full page of pull requests at or under 0.05 points per PR', () => {
    expect(pullsPageCost(PULLS_PAGE_SIZE) / PULLS_PAGE_SIZE).toBeLessThanOrEqual(0.05);
  });
});
