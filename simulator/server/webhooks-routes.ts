import { Hono } from 'hono';
import { checkDropShare, checkWebhookTarget, type WebhookSender } from './webhooks-sender.ts';

/** /_sim/webhooks: configure hooks at run time, drop or pause deliveries, and list every attempt. */
export function webhookRoutes(sender: WebhookSender): Hono {
  const app = new Hono();
  app.get('/_sim/webhooks', (c) => c.json(sender.describe()));
  app.post('/_sim/webhooks', async (c) => {
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return c.json({ message: 'Body must be JSON like {"url": "http://127.0.0.1:3000/api/webhooks/github", "secret": "at least 16 characters", "drop": 0}' }, 400);
    }
    try {
      const target = checkWebhookTarget(body, { url: 'url', secret: 'secret' });
      if (body.drop !== undefined) sender.setDrop(checkDropShare(body.drop, 'drop'));
      return c.json(sender.addHook(target), 201);
    } catch (err) {
      return c.json({ message: (err as Error).message }, 400);
    }
  });
  app.post('/_sim/webhooks/pause', (c) => {
    sender.setPaused(true);
    return c.json({ paused: true });
  });
  app.post('/_sim/webhooks/resume', (c) => {
    sender.setPaused(false);
    return c.json({ paused: false });
  });
  return app;
}
