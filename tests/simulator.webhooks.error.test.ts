import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator/start.ts';
import { guidepost } from './cli.fixture.ts';
import { startReceiver, waitFor } from './simulator.webhooks.fixture.ts';

// A webhook setting the simulator cannot use is refused at once with what to do; a receiver
// that refuses, fails or hangs costs each delivery at most its timeout and never stalls evolve.
const SECRET = 'sim-webhook-secret-0123456789';
const ONE_PR = JSON.stringify({ newPulls: 1, newReviewsOnOldPulls: 0, lateMerges: 0 });

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('webhook settings the simulator refuses', () => {
  it('refuses a URL that is not http(s) and a secret shorter than 16 characters, never quoting the secret', async () => {
    for (const url of ['ftp://127.0.0.1/hook', 'not a url', '']) {
      await expect(startSimulator({ scale: 'tiny', git: false, webhook: { url, secret: SECRET } })).rejects.toThrow(/--webhook must be an http\(s\) URL/);
    }
    const err = (await startSimulator({ scale: 'tiny', git: false, webhook: { url: 'http://127.0.0.1:9/hook', secret: 'short-secret-15' } }).catch((e) => e)) as Error;
    expect(err.message).toMatch(/--webhook-secret must be at least 16 characters/);
    expect(err.message).not.toContain('short-secret-15');
    await expect(startSimulator({ scale: 'tiny', git: false, dropWebhooks: 1.5 })).rejects.toThrow(/--drop-webhooks must be a share between 0 and 1/);
  });

  it('answers 400 with what to send to POST /_sim/webhooks', async () => {
    const sim = await startSimulator({ scale: 'tiny', git: false });
    try {
      const post = (body: string) => fetch(`${sim.url}/_sim/webhooks`, { method: 'POST', body });
      const cases: [string, RegExp][] = [
        ['{nope', /Body must be JSON like/],
        ['[]', /Body must be JSON like/],
        [JSON.stringify({ url: 'http://127.0.0.1:9/hook', secret: 'tiny-secret' }), /secret must be at least 16 characters/],
        [JSON.stringify({ url: 'javascript:alert(1)', secret: SECRET }), /url must be an http\(s\) URL/],
        [JSON.stringify({ url: 'http://127.0.0.1:9/hook', secret: SECRET, drop: -1 }), /drop must be a share between 0 and 1/],
      ];
      for (const [body, message] of cases) {
        const res = await post(body);
        expect(res.status, body).toBe(400);
        const text = await res.text();
        expect(JSON.parse(text).message).toMatch(message);
        expect(text).not.toContain('tiny-secret');
      }
      expect(((await (await fetch(`${sim.url}/_sim/webhooks`)).json()) as { hooks: unknown[] }).hooks).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('guidepost simulate refuses --webhook without --webhook-secret, and a short secret, saying what to give', async () => {
    const alone = await guidepost(['simulate', '--port', '0', '--scale', 'tiny', '--webhook', 'http://127.0.0.1:9/hook'], 30_000);
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toMatch(/--webhook and --webhook-secret go together/);
    const short = await guidepost(['simulate', '--port', '0', '--scale', 'tiny', '--webhook', 'http://127.0.0.1:9/hook', '--webhook-secret', 'abc123'], 30_000);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/--webhook-secret must be at least 16 characters/);
    expect(`${short.stderr}${short.stdout}`).not.toContain('abc123');
    expect(short.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('receivers that fail', () => {
  it('records an unreachable hook and a failing one once each, without retrying, while evolve answers', async () => {
    const failing = await startReceiver({ status: 500 });
    const sim = await startSimulator({
      seed: 2, scale: 'tiny', git: false,
      webhook: [{ url: `http://127.0.0.1:${await closedPort()}/hook`, secret: SECRET }, { url: failing.url, secret: SECRET }],
    });
    try {
      const res = await fetch(`${sim.url}/_sim/evolve`, { method: 'POST', body: ONE_PR, signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(200);
      await Promise.race([sim.webhooks.idle(), new Promise((_, reject) => setTimeout(() => reject(new Error('deliveries still pending after 10 s')), 10_000))]);
      const [unreachable, answered] = [0, 1].map((i) => sim.webhooks.deliveries().filter((d) => d.hookId === sim.webhooks.deliveries()[i]!.hookId));
      expect(unreachable!.length).toBeGreaterThan(2);
      for (const d of unreachable!) expect(d).toMatchObject({ status: null, error: expect.stringMatching(/could not reach the hook/) });
      for (const d of answered!) expect(d).toMatchObject({ status: 500, error: null });
      // GitHub does not retry: one request per delivery.
      expect(failing.received.length).toBe(answered!.length);
      expect((await fetch(`${sim.url}/_sim/truth`)).status).toBe(200);
    } finally {
      await sim.close();
      await failing.close();
    }
  });

  it('gives up on a hanging receiver after the timeout, and evolve still answers at once', async () => {
    const hanging = await startReceiver({ hang: true });
    const sim = await startSimulator({ seed: 3, scale: 'tiny', git: false, webhook: { url: hanging.url, secret: SECRET }, webhookTimeoutMs: 300 });
    try {
      const started = Date.now();
      const res = await fetch(`${sim.url}/_sim/evolve`, { method: 'POST', body: ONE_PR, signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      await waitFor(() => sim.webhooks.deliveries().length > 2 && sim.webhooks.deliveries().every((d) => d.error !== null), 15_000);
      for (const d of sim.webhooks.deliveries()) {
        expect(d).toMatchObject({ status: null, error: 'no answer within 300 ms' });
        expect(d.ms).toBeGreaterThanOrEqual(250);
        expect(d.ms).toBeLessThan(3_000);
      }
    } finally {
      await sim.close();
      await hanging.close();
    }
  });

  it('closes at once while a delivery hangs on GitHub\'s 10 s timeout', async () => {
    const hanging = await startReceiver({ hang: true });
    const sim = await startSimulator({ seed: 3, scale: 'tiny', git: false, webhook: { url: hanging.url, secret: SECRET } });
    await waitFor(() => hanging.received.length === 1, 5_000, 'the ping');
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sim.webhooks.deliveries()[0]).toMatchObject({ event: 'ping', status: null, error: 'aborted: the simulator closed' });
    await hanging.close();
  });
});
