// The digest posted to a Slack or Teams incoming webhook. The URL is the credential: errors
// name the service and its host, never the path.

export async function postWebhook(service: string, url: string, payload: unknown, timeoutMs: number): Promise<void> {
  const host = new URL(url).host;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect would carry the digest somewhere the lead did not choose.
      redirect: 'error',
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') throw new Error(`${service} (${host}) did not answer within ${timeoutMs / 1000} s. Check that the webhook URL is right and the service is reachable.`, { cause: err });
    const why = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new Error(`Could not reach ${service} (${host}): ${why}. Check the webhook URL and that this server may reach it.`, { cause: err });
  }
  const text = (await res.text().catch(() => '')).trim().slice(0, 200);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${service} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${text ? `: ${text}` : ''}. Check the webhook URL (a removed webhook answers 404 or 410).`);
  }
}
