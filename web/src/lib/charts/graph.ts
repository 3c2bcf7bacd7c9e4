import { Chart, LinearScale, PointElement, Tooltip } from 'chart.js';
import { ForceDirectedGraphController, EdgeLine } from 'chartjs-chart-graph';
import { cssVar, onSchemeChange, drawAfterPaint } from './theme.ts';

Chart.register(ForceDirectedGraphController, EdgeLine, LinearScale, PointElement, Tooltip);

export interface GraphNode {
  id: string;
  label: string;
  kind: 'mentor' | 'mentee' | 'both' | 'newcomer';
}
export interface GraphEdge {
  source: string;
  target: string;
  weight: number;
}

/** {@attach mentoringGraph(...)}: who mentors whom as a force-directed graph with arrows. */
export function mentoringGraph(nodes: GraphNode[], edges: GraphEdge[], summary: string, onPick?: (node: GraphNode) => void) {
  return (canvas: HTMLCanvasElement) => {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', summary);
    let chart: Chart<'forceDirectedGraph'> | undefined;
    const draw = () => {
      chart?.destroy();
      const index = new Map(nodes.map((n, i) => [n.id, i]));
      const colour = { mentor: cssVar('--series-1'), both: cssVar('--series-3'), mentee: cssVar('--series-2'), newcomer: cssVar('--bad') };
      const maxW = Math.max(1, ...edges.map((e) => e.weight));
      const text = cssVar('--text');
      const line = cssVar('--muted');
      const surface = cssVar('--surface');
      const validEdges = edges.filter((e) => index.has(e.source) && index.has(e.target));
      chart = new Chart(canvas, {
        type: 'forceDirectedGraph',
        data: {
          labels: nodes.map((n) => n.label),
          datasets: [
            {
              label: 'Mentoring',
              data: nodes.map(() => ({})),
              edges: validEdges.map((e) => ({ source: index.get(e.source)!, target: index.get(e.target)! })),
              directed: true,
              pointBackgroundColor: nodes.map((n) => colour[n.kind]),
              pointBorderColor: surface,
              pointRadius: nodes.map((n) => (n.kind === 'mentor' || n.kind === 'both' ? 8 : 6)),
              pointHoverRadius: 10,
              // Unprefixed line options style the edges; width grows with the edge's weight.
              borderColor: `color-mix(in srgb, ${line} 55%, transparent)`,
              borderWidth: (ctx) => 1 + (3 * (validEdges[ctx.dataIndex]?.weight ?? 1)) / maxW,
              arrowHeadSize: 9,
              arrowHeadOffset: 1,
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          layout: { padding: { top: 16, bottom: 16, left: 16, right: 110 } },
          // Laid out before the first paint; x/y pull loose nodes (newcomers with no edge) inwards
          // so they do not squeeze the connected part into a corner.
          simulation: {
            initialIterations: 400,
            autoRestart: false,
            forces: {
              link: { distance: 55 },
              manyBody: { strength: -160 },
              collide: { radius: 26 },
              x: { x: 0, strength: 0.06 },
              y: { y: 0, strength: 0.06 },
            },
          },
          onClick: (_e, elements) => {
            const el = elements[0];
            const n = el ? nodes[el.index] : undefined;
            if (n && onPick) onPick(n);
          },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (item) => nodes[item.dataIndex]?.label ?? '' } },
          },
        },
        plugins: [
          {
            // Logins next to the points: the graph is small enough to read names directly. Each
            // label takes the first spot (right, left, then a line up or down) that covers no
            // other label and no point, so two close points do not print their names over each
            // other or over a neighbour, as they would on a phone. A halo in the card's colour
            // keeps a name readable where an edge runs under it.
            id: 'node-labels',
            afterDatasetsDraw(c) {
              const meta = c.getDatasetMeta(0);
              const ctx = c.ctx;
              ctx.save();
              ctx.font = `12px ${cssVar('--font', 'system-ui')}`;
              ctx.fillStyle = text;
              ctx.strokeStyle = surface;
              ctx.lineWidth = 3;
              ctx.lineJoin = 'round';
              ctx.textBaseline = 'middle';
              type Box = { x0: number; y0: number; x1: number; y1: number };
              const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
              const taken: Box[] = meta.data.map((pt) => ({ x0: pt.x - 9, y0: pt.y - 9, x1: pt.x + 9, y1: pt.y + 9 }));
              const order = meta.data.map((pt, i) => ({ pt, i })).sort((a, b) => a.pt.y - b.pt.y);
              for (const { pt, i } of order) {
                const n = nodes[i];
                if (!n) continue;
                const w = ctx.measureText(n.label).width;
                const own = taken[i]!;
                const boxOf = (x: number, y: number): Box => ({ x0: x - 1, y0: y - 7, x1: x + w + 1, y1: y + 7 });
                const spots = [0, -14, 14, -28, 28].flatMap((dy) => [{ x: pt.x + 10, y: pt.y + dy }, { x: pt.x - 10 - w, y: pt.y + dy }]);
                const fits = (b: Box) => b.x0 >= 0 && b.x1 <= c.width && b.y0 >= 0 && b.y1 <= c.height && taken.every((t) => t === own || !overlaps(b, t));
                const spot = spots.find((s) => fits(boxOf(s.x, s.y))) ?? spots[0]!;
                taken.push(boxOf(spot.x, spot.y));
                ctx.strokeText(n.label, spot.x, spot.y);
                ctx.fillText(n.label, spot.x, spot.y);
              }
              ctx.restore();
            },
          },
        ],
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
