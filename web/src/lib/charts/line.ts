import { onSchemeChange, drawAfterPaint } from './theme.ts';
import type { LineInput } from './line.types.ts';

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
