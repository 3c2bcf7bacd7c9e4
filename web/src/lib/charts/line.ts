import { onSchemeChange, drawAfterPaint } from './theme.ts';

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

/** {@attach lineChart(input)} on a <canvas>: a weekly trend line per series. Chart.js loads on first draw. */
export function lineChart(input: LineInput) {
  return (canvas: HTMLCanvasElement) => {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', input.summary);
    let chart: { destroy(): void } | undefined;
    let gone = false;
    const draw = () => {
      import('./line.draw.ts')
        .then(({ drawLine }) => {
          if (gone) return;
          chart?.destroy();
          chart = drawLine(canvas, input);
        })
        .catch((err: unknown) => console.warn('The chart could not be drawn:', err));
    };
    const cancel = drawAfterPaint(draw);
    const off = onSchemeChange(draw);
    return () => {
      gone = true;
      cancel();
      off();
      chart?.destroy();
    };
  };
}
