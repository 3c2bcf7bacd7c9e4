import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guidepost } from './cli.fixture.ts';
import { withPostgres, type TestPostgres } from './postgres.fixture.ts';

// A wrong GUIDEPOST_DATABASE_URL is one line saying what failed (host, user or database), exit
// code 1, and never the password. The refused user and missing database need a server (the
// suite's, or one tests/postgres.fixture.ts starts); an unreachable port needs none.

let server: TestPostgres;
beforeAll(async () => {
  server = await withPostgres();
}, 90_000);
afterAll(async () => server?.stop());
const PASSWORD = 'n0t-to-be-pr1nted';

function withUrl(change: (u: URL) => void): string {
  const u = new URL(server.adminUrl);
  u.password = PASSWORD;
  change(u);
  return u.toString();
}

async function report(url: string) {
  const r = await guidepost(['report', '--json'], 60_000, { GUIDEPOST_DATABASE_URL: url });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(`${r.stderr}`).not.toContain(PASSWORD);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe.concurrent('guidepost on a wrong GUIDEPOST_DATABASE_URL', { timeout: 120_000 }, () => {
  it('names the host and port it cannot reach', async () => {
    expect(await report(withUrl((u) => { u.hostname = '127.0.0.1'; u.port = '1'; }))).toBe(
      'guidepost: Cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED). Check the host and port in GUIDEPOST_DATABASE_URL, and that the server is running.',
    );
  });

  it('says a URL of another kind is no PostgreSQL URL, without echoing it', async () => {
    const r = await guidepost(['report'], 60_000, { GUIDEPOST_DATABASE_URL: `mysql://root:${PASSWORD}@db/guidepost` });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(PASSWORD);
    expect(r.stderr.trim()).toMatch(/^guidepost: Invalid configuration\. GUIDEPOST_DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it('names the database the server does not have', async () => {
    const line = await report(withUrl((u) => { u.pathname = '/no_such_database'; }));
    expect(line).toMatch(/^guidepost: PostgreSQL at 127\.0\.0\.1:\d+ has no database "no_such_database"\. Create it/);
  });

  it('names the user the server refuses', async () => {
    const line = await report(withUrl((u) => { u.username = 'nobody_here'; }));
    expect(line).toMatch(/^guidepost: PostgreSQL at 127\.0\.0\.1:\d+ refused user "nobody_here" \(.*\)\. Check the user and password in GUIDEPOST_DATABASE_URL\.$/);
  });

  it('refuses backup and restore on PostgreSQL, pointing at pg_dump and pg_restore', async () => {
    const url = withUrl(() => {});
    const b = await guidepost(['backup', '/tmp/never-written.db'], 60_000, { GUIDEPOST_DATABASE_URL: url });
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/use pg_dump/i);
    expect(b.stderr).not.toContain(PASSWORD);
    const r = await guidepost(['restore', '/tmp/never-read.db'], 60_000, { GUIDEPOST_DATABASE_URL: url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/use pg_restore/i);
  });
});
