import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveConnection } from '../jobs/github/connect.ts';
import { syncNow } from '../jobs/github/sync-now.ts';
import { createSyncRuntime, type SyncRuntime } from '../jobs/background-jobs.ts';
import { updateRepoHistory } from '../jobs/git/knowledge.job.ts';
import { createLogger } from '../server/logger.ts';
import { startSimulator, type RunningSimulator } from '../simulator/start.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { SINCE } from './sync.fixture.ts';

// The knowledge stage of an org connected as a GitHub App: git has no use for the app's private
// key, so it clones with an installation token the org's API client obtained. The simulated git
// server, like GitHub for a private repository, refuses a clone without credentials.

const APP_ID = 777_001;
const INSTALLATION_ID = 88_000_123;
const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
const EXCHANGE = 'POST /app/installations/:installation_id/access_tokens';
const logger = createLogger('silent');

describe('the knowledge stage of an organisation connected as a GitHub App', () => {
  let sim: RunningSimulator;
  const dbs: TestDb[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, scale: 'tiny', git: true, app: { appId: APP_ID, installationId: INSTALLATION_ID, publicKey: appKeys.publicKey } });
  }, 60_000);
  afterAll(async () => {
    for (const t of dbs) await t.close();
    await sim?.close();
  });

  /** A fresh database with the org connected as the app (stored encrypted, as POST /api/connections does) and the server's runtime over it. */
  const connected = async (): Promise<{ t: TestDb; runtime: SyncRuntime }> => {
    const t = await createTestDb();
    dbs.push(t);
    await saveConnection(t.db, t.config, { org: sim.org.org.login, apiUrl: sim.url, auth: { kind: 'app', appId: String(APP_ID), installationId: String(INSTALLATION_ID), privateKey: appKeys.privateKey } });
    return { t, runtime: createSyncRuntime(t.db, t.config, logger) };
  };
  const commitsOf = async (t: TestDb, repoId: number) => Number((await t.db.selectFrom('commits').select((eb) => eb.fn.countAll().as('n')).where('repo_id', '=', repoId).executeTakeFirstOrThrow()).n);

  it('a sync clones every repository and stores its history and knowledge, with one token exchange for API and git', async () => {
    const { t, runtime } = await connected();
    const before = sim.stats().requests[EXCHANGE] ?? 0;
    const failed = await syncNow(t.db, logger, { ...runtime.services, onRepoSynced: [] }, { org: sim.org.org.login, since: SINCE, backoffBaseMs: 50 });
    expect(failed.map((j) => `${j.task}: ${j.last_error}`)).toEqual([]);

    const repos = await t.db.selectFrom('repos').select(['id', 'name']).orderBy('name').execute();
    expect(repos.map((r) => r.name)).toEqual(sim.org.repos.map((r) => r.name).sort());
    for (const r of repos) {
      expect(await commitsOf(t, r.id), r.name).toBe(sim.org.repos.find((s) => s.name === r.name)!.commits.length);
    }
    const files = await t.db.selectFrom('file_changes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(files.n)).toBeGreaterThan(0);
    const knowledge = await t.db.selectFrom('knowledge_repos').select('repo_id').execute();
    expect(knowledge.map((k) => k.repo_id).sort()).toEqual(repos.map((r) => r.id).sort());
    // @octokit/auth-app caches the installation token for its hour; git uses the same one.
    expect((sim.stats().requests[EXCHANGE] ?? 0) - before).toBe(1);
  }, 120_000);

  it('tokenFor hands git an installation token, never the key; without a token the same clone is refused', async () => {
    const { t, runtime } = await connected();
    // TEST SETUP: the repos (and their clone URLs) as the API part of the sync stores them.
    expect(await syncNow(t.db, logger, { ...runtime.services, onRepoSynced: [], knowledge: false }, { org: sim.org.org.login, since: SINCE, backoffBaseMs: 50 })).toEqual([]);
    const repo = await t.db.selectFrom('repos').select(['id', 'name', 'clone_url']).orderBy('name').executeTakeFirstOrThrow();
    expect(repo.clone_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const token = await runtime.services.tokenFor!(sim.org.org.login);
    expect(token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(appKeys.privateKey).not.toContain(token!);

    await expect(updateRepoHistory(t.db, { repoId: repo.id, cloneUrl: repo.clone_url!, token: undefined, dataDir: join(t.dir, 'without-token') })).rejects.toThrow(`Could not clone ${sim.org.org.login}/${repo.name}`);
    expect(await commitsOf(t, repo.id)).toBe(0);

    const imported = await updateRepoHistory(t.db, { repoId: repo.id, cloneUrl: repo.clone_url!, token, dataDir: join(t.dir, 'with-token') });
    const commits = sim.org.repos.find((s) => s.name === repo.name)!.commits.length;
    expect(commits).toBeGreaterThan(0);
    expect(imported).toMatchObject({ imported: commits, full: true });
    expect(await commitsOf(t, repo.id)).toBe(commits);
  }, 120_000);
});
