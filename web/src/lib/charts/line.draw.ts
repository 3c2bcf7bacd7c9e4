import { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler } from 'chart.js';
import { baseOptions, palette } from './theme.ts';
import type { LineInput } from './line.types.ts';

// Chart.js for the trend lines, in its own chunk: lib/charts/line.ts loads it after the page's
// numbers are on screen, so the first view neither downloads nor runs it before them.

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler);

/** Draws `input` on `canvas`; the caller destroys the chart it gets back. */
export function drawLine(canvas: HTMLCanvasElement, input: LineInput): Chart<'line'> {
  const cap = input.robust ? robustMax(input.series.flatMap((s) => s.data)) : undefined;
  const o = baseOptions();
  const colors = palette();
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: input.labels,
      datasets: input.series.map((s, i) => ({
        label: s.label,
        data: s.data,
        borderColor: colors[i % colors.length],
        backgroundColor: colors[i % colors.length],
        borderWidth: 2,
        pointRadius: input.labels.length > 20 ? 0 : 2.5,
        pointHoverRadius: 4,
        tension: 0.25,
        spanGaps: true,
      })),
    },
    options: {
      responsive: o.responsive,
      maintainAspectRatio: o.maintainAspectRatio,
      animation: o.animation,
      color: o.textColor,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: input.series.length > 1, labels: { color: o.textColor, boxWidth: 12 } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.parsed.y === null ? '—' : input.format ? input.format(ctx.parsed.y) : ctx.parsed.y}` } },
      },
      scales: {
        x: { grid: { display: false }, ticks: { color: o.textColor, maxRotation: 0, autoSkipPadding: 12 } },
        y: {
          beginAtZero: true,
          ...(input.yMax !== undefined ? { max: input.yMax } : cap !== undefined ? { max: cap } : {}),
          grid: { color: o.gridColor },
          // A capped axis ends at a value that is rarely a round one: no tick for it, so its
          // label does not crowd the round tick just below.
          ticks: { color: o.textColor, includeBounds: cap === undefined, ...(input.format ? { callback: (v) => input.format!(Number(v)) } : {}) },
        },
      },
    },
  });
}

/** 1.25 × the 85th percentile, when the largest value is far above it; else undefined (auto). */
function robustMax(values: (number | null)[]): number | undefined {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length < 5) return undefined;
  const q = v[Math.floor(0.85 * (v.length - 1))]!;
  const max = v[v.length - 1]!;
  return max > 2.5 * q && q > 0 ? Math.ceil(q * 1.25) : undefined;
}
