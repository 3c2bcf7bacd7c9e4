import { Chart, LinearScale, Tooltip } from 'chart.js';
import { TreemapController, TreemapElement } from 'chartjs-chart-treemap';
import { cssVar, onSchemeChange, drawAfterPaint } from './theme.ts';
import { plural } from '../format.ts';

// The treemap lays its boxes out on two linear scales: registered here, so the chart draws when
// its page is the first one opened (other charts register them too, but may not have loaded).
Chart.register(TreemapController, TreemapElement, LinearScale, Tooltip);

export interface TreemapLeaf {
  /** Directory path, e.g. `services/billing`. */
  path: string;
  files: number;
  /** How many people know it (authors ∪ reviewers). */
  knowers: number;
}

/** Red for one knower, amber for two, accent green for three or more. */
export function knowerColor(knowers: number): string {
  if (knowers <= 0) return cssVar('--muted');
  if (knowers === 1) return cssVar('--bad');
  if (knowers === 2) return cssVar('--warn');
  return cssVar('--accent');
}

/** {@attach treemapChart(leaves, summary, onPick)}: directories sized by files, coloured by knowers. */
export function treemapChart(leaves: TreemapLeaf[], summary: string, onPick?: (leaf: TreemapLeaf) => void) {
  return (canvas: HTMLCanvasElement) => {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', summary);
    let chart: Chart<'treemap'> | undefined;
    const draw = () => {
      chart?.destroy();
      const surface = cssVar('--surface');
      const tree = leaves.map((l) => ({ ...l }));
      const leafOf = (ctx: { raw?: unknown }) => (ctx.raw as { _data?: TreemapLeaf } | undefined)?._data;
      chart = new Chart(canvas, {
        type: 'treemap',
        data: {
          datasets: [
            {
              label: 'Directories',
              tree,
              key: 'files',
              data: [],
              spacing: 1,
              borderWidth: 1,
              borderColor: surface,
              backgroundColor: (ctx) => {
                const leaf = leafOf(ctx);
                const c = knowerColor(leaf?.knowers ?? 0);
                return `color-mix(in srgb, ${c} ${leaf && leaf.knowers >= 3 ? 70 : 85}%, ${surface})`;
              },
              labels: {
                display: true,
                color: '#fff',
                font: { size: 11, weight: 600 },
                overflow: 'hidden',
                formatter: (ctx) => {
                  const leaf = leafOf(ctx);
                  return leaf ? [leaf.path.split('/').slice(-2).join('/'), plural(leaf.knowers, 'person', 'people')] : '';
                },
              },
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          onClick: (_e, elements) => {
            const el = elements[0];
            if (!el || !onPick) return;
            const leaf = leaves[el.index];
            if (leaf) onPick(leaf);
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: (items) => leafOf(items[0] ?? {})?.path ?? '',
                label: (item) => {
                  const leaf = leafOf(item);
                  return leaf ? `${plural(leaf.files, 'code file')} · known by ${plural(leaf.knowers, 'person', 'people')}` : '';
                },
              },
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
