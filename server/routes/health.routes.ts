import { Hono } from 'hono';
import { sql } from 'kysely';
import type { AppEnv } from '../deps.ts';

export function healthRoutes() {
  return new Hono<AppEnv>().get('/', async (c) => {
    const { db } = c.get('deps');
    await sql`select 1`.execute(db);
    return c.json({ status: 'ok', version: '0.1.0' });
  });
}
