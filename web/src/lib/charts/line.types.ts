// What a trend-line chart is given: shared by lib/charts/line.ts (the attachment) and
// lib/charts/line.draw.ts (the Chart.js chunk it loads), so neither imports the other for it.

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
