import { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler } from 'chart.js';
import { baseOptions, palette, onSchemeChange, drawAfterPaint } from './theme.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler);

export interface LineSeries {
  label: string;
  data: (number | null)[];
}
export interface LineInput {
  labels: string[];
  series: LineSeries[];
  /** Formats y values in ticks and tooltips. */
  format?: (v: number) => string;
  yMax?: number;
  /** Cap the axis near the bulk of the values so one outlier week does not flatten the rest. */
  robust?: boolean;
  /** Label for screen readers: what the chart shows. */
  summary: string;
}

/** {@attach lineChart(input)} on a <canvas>: a weekly trend line per series. */
export function lineChart(input: LineInput) {
  return (canvas: HTMLCanvasElement) => {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', input.summary);
    let chart: Chart<'line'> | undefined;
    const cap = input.robust ? robustMax(input.series.flatMap((s) => s.data)) : undefined;
    const draw = () => {
      chart?.destroy();
      const o = baseOptions();
      const colors = palette();
      chart = new Chart(canvas, {
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
              ticks: { color: o.textColor, ...(input.format ? { callback: (v) => input.format!(Number(v)) } : {}) },
            },
          },
        },
      });
    };
    const cancel = drawAfterPaint(draw);
    const off = onSchemeChange(draw);
    return () => {
      cancel();
      off();
      chart?.destroy();
    };
  };
}

/** 1.25 × the 85th percentile, when the largest value is far above it; else undefined (auto). */
function robustMax(values: (number | null)[]): number | undefined {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length < 5) return undefined;
  const q = v[Math.floor(0.85 * (v.length - 1))]!;
  const max = v[v.length - 1]!;
  return max > 2.5 * q && q > 0 ? Math.ceil(q * 1.25) : undefined;
}
