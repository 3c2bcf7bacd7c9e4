import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrief } from '../server/signals/brief.ts';
import { dbArgsOf, type TestDb } from './harness.ts';
import { guidepost } from './cli.fixture.ts';
import { plantedDigestDb, plantedPeopleIn, startHttpReceiver, type HttpReceiver } from './digest.fixture.ts';

// `guidepost digest --preview` as a user runs it: the digest's text on stdout, nothing sent,
// nothing recorded, and a note on stderr of where --send would send it (without the secret).

const SLACK_PATH = '/services/T3/B4/previewSecretMnOp';

describe('guidepost digest --preview', () => {
  let hooks: HttpReceiver;
  let t: TestDb;
  beforeAll(async () => {
    hooks = await startHttpReceiver();
    t = await plantedDigestDb();
  });
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  it('prints the brief as the digest’s text, sends nothing and says where --send would send it', async () => {
    const env = { GUIDEPOST_SLACK_WEBHOOK_URL: `${hooks.url}${SLACK_PATH}`, GUIDEPOST_PUBLIC_URL: 'https://guidepost.example.com' };
    const r = await guidepost(['digest', '--preview', ...dbArgsOf(t.config), '--data-dir', t.dir], 60_000, env);
    expect(r.code, r.stderr).toBe(0);
    const brief = await buildBrief(t.db, {});
    expect(r.stdout).toMatch(/^Guidepost weekly digest: acme, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\n/);
    for (const line of [...brief.goingWell, ...brief.needsGuidance]) expect(r.stdout).toContain(`- ${line}\n`);
    expect(r.stdout).toContain('Open the brief: https://guidepost.example.com/brief');
    expect(r.stdout.trimEnd().endsWith(brief.footer)).toBe(true);
    expect(plantedPeopleIn(r.stdout)).toEqual([]);
    expect(r.stderr).toBe('Not sent. --send would send it to: Slack webhook …MnOp.\n');
    expect(hooks.posts).toEqual([]);
    expect(await t.db.selectFrom('digest_sends').selectAll().execute()).toEqual([]);
  });

  it('asks which of --preview and --send is meant when given neither', async () => {
    const r = await guidepost(['digest', ...dbArgsOf(t.config), '--data-dir', t.dir], 60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('guidepost: Say what to do: guidepost digest --preview prints the digest, guidepost digest --send sends it now.\n');
  });
});
