import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { formulas } from '../signals/formulas.ts';
import { readSettings } from '../settings.ts';

/** Every figure's formula with the current settings filled in (the (i) beside each tile). */
export function formulasRoutes() {
  return new Hono<AppEnv>().get('/', async (c) => {
    const { db } = c.get('deps');
    return c.json({ formulas: formulas(await readSettings(db)) });
  });
}
