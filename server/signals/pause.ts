// Long reads of the packs run on the one event loop that also answers every other request.

/**
 * Gives the event loop a turn whenever the scan has held it for a few milliseconds, so a long
 * window never stalls other requests (health checks, small pages) behind it.
 */
export function pauser(sliceMs = 10): () => Promise<void> | void {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}
