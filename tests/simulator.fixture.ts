// Shared by the REST and GraphQL walks: the generated seed-1 small org served without git, and
// an Octokit signed in to it as the collector would be.
import { Octokit } from '@octokit/rest';
import type { SimOrg } from '../simulator/model.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';

/** Starts the seed-1 small org (API only); the caller closes `sim`. */
export async function startSmallSimulator(): Promise<{ sim: RunningSimulator; org: SimOrg; octokit: Octokit }> {
  const sim = await startSimulator({ seed: 1, scale: 'small', git: false });
  return { sim, org: sim.org, octokit: new Octokit({ auth: sim.token, baseUrl: sim.url }) };
}
