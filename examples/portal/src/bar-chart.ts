import { Decimal } from '@ocx/core';
import { escapeHtml } from './html.js';

/** One bar: a label and an exact amount. */
export interface Bar {
  label: string;
  amount: string;
}

/**
 * A vertical bar chart as inline SVG (no script, no external resource). Amounts stay exact in the
 * labels; only the bar heights are geometry, computed from exact ratios. Negative or zero amounts
 * draw no bar.
 *
 * @example
 * ```ts
 * barChart({ title: 'Cost per day', bars: [{ label: '01', amount: '0.84' }], currency: 'USD' });
 * ```
 */
export function barChart(input: { id: string; title: string; bars: readonly Bar[]; currency: string }): string {
  const width = Math.max(240, input.bars.length * 28 + 60);
  const height = 200;
  const plot = { left: 50, top: 10, bottom: 160 };
  const max = input.bars.reduce((best, bar) => best.max(bar.amount), Decimal.ZERO);
  const step = input.bars.length === 0 ? 0 : (width - plot.left - 10) / input.bars.length;
  const bars = input.bars.map((bar, index) => {
    const value = Decimal.from(bar.amount);
    const ratio = max.compare('0') > 0 && value.compare('0') > 0 ? Number(value.divide(max, 4).toString()) : 0;
    const barHeight = ratio * (plot.bottom - plot.top);
    const x = plot.left + index * step + step * 0.15;
    const label = `${escapeHtml(bar.label)}: ${escapeHtml(bar.amount)} ${escapeHtml(input.currency)}`;
    return (
      (barHeight > 0
        ? `<rect class="bar" x="${x.toFixed(1)}" y="${(plot.bottom - barHeight).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${barHeight.toFixed(1)}"><title>${label}</title></rect>`
        : '') +
      `<text x="${(x + step * 0.35).toFixed(1)}" y="${plot.bottom + 14}" text-anchor="middle">${escapeHtml(bar.label)}</text>`
    );
  });
  return `<figure class="chart" id="${escapeHtml(input.id)}"><figcaption>${escapeHtml(input.title)}</figcaption>
<svg role="img" aria-label="${escapeHtml(input.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<line class="axis" x1="${plot.left}" y1="${plot.bottom}" x2="${width - 10}" y2="${plot.bottom}"/>
<text x="${plot.left - 6}" y="${plot.top + 8}" text-anchor="end">${escapeHtml(max.toString())}</text>
<text x="${plot.left - 6}" y="${plot.bottom}" text-anchor="end">0</text>
${bars.join('\n')}
</svg></figure>`;
}
