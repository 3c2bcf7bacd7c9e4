// Chart colours come from the page's CSS variables so charts follow light and dark mode.

export function cssVar(name: string, fallback = '#888'): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function palette(): string[] {
  return ['--series-1', '--series-2', '--series-3', '--series-4'].map((v) => cssVar(v));
}

export function baseOptions() {
  const text = cssVar('--muted');
  const grid = cssVar('--grid');
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    color: text,
    font: { family: cssVar('--font', 'system-ui') },
    gridColor: grid,
    textColor: text,
  };
}

/** Follows prefers-color-scheme changes: calls `redraw` when the scheme flips. */
export function onSchemeChange(redraw: () => void): () => void {
  const mq = matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', redraw);
  return () => mq.removeEventListener('change', redraw);
}

/**
 * Runs a chart's first draw once the page around it has painted and the browser is idle.
 * Building charts is the slowest part of a first view; waiting for idle lets answers already
 * on their way (the overview's numbers and findings) render first. Returns the cancel for the
 * attachment's cleanup.
 */
export function drawAfterPaint(draw: () => void): () => void {
  let idle: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(draw, { timeout: 800 });
    else timer = setTimeout(draw, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (idle !== undefined) cancelIdleCallback(idle);
    clearTimeout(timer);
  };
}
