import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, createTestDb, type TestDb } from './harness.ts';

describe('health', () => {
  let t: TestDb;
  afterEach(async () => t?.close());

  it('answers ok once the database is migrated', async () => {
    t = await createTestDb();
    const res = await createTestApp(t).request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('answers an unknown API route with the one error shape', async () => {
    t = await createTestDb();
    const res = await createTestApp(t).request('/api/nope');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toContain('/api/nope');
  });
});
