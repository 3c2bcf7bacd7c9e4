import { Chart, BarController, BarElement, LinearScale, CategoryScale, Tooltip, Legend } from 'chart.js';
import { baseOptions, palette, onSchemeChange, drawAfterPaint } from './theme.ts';

Chart.register(BarController, BarElement, LinearScale, CategoryScale, Tooltip, Legend);

export interface BarInput {
  labels: string[];
  series: { label: string; data: (number | null)[] }[];
  stacked?: boolean;
  horizontal?: boolean;
  format?: (v: number) => string;
  xTitle?: string;
  yTitle?: string;
  summary: string;
}

/** {@attach barChart(input)} on a <canvas>. */
export function barChart(input: BarInput) {
  return (canvas: HTMLCanvasElement) => {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', input.summary);
    let chart: Chart<'bar'> | undefined;
    const draw = () => {
      chart?.destroy();
      const o = baseOptions();
      const colors = palette();
      const valueAxis = { beginAtZero: true, stacked: !!input.stacked, grid: { color: o.gridColor }, ticks: { color: o.textColor } };
      const catAxis = { stacked: !!input.stacked, grid: { display: false }, ticks: { color: o.textColor, maxRotation: 0, autoSkipPadding: 8 } };
      const title = (t?: string) => (t ? { display: true, text: t, color: o.textColor } : { display: false });
      chart = new Chart(canvas, {
        type: 'bar',
        data: {
          labels: input.labels,
          datasets: input.series.map((s, i) => ({
            label: s.label,
            data: s.data,
            backgroundColor: colors[i % colors.length],
            borderRadius: 3,
            maxBarThickness: 36,
          })),
        },
        options: {
          indexAxis: input.horizontal ? 'y' : 'x',
          responsive: o.responsive,
          maintainAspectRatio: o.maintainAspectRatio,
          animation: o.animation,
          plugins: {
            legend: { display: input.series.length > 1, labels: { color: o.textColor, boxWidth: 12 } },
            tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${input.format ? input.format(Number(ctx.raw)) : ctx.raw}` } },
          },
          scales: input.horizontal
            ? { x: { ...valueAxis, title: title(input.xTitle) }, y: { ...catAxis, title: title(input.yTitle) } }
            : { x: { ...catAxis, title: title(input.xTitle) }, y: { ...valueAxis, title: title(input.yTitle) } },
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
