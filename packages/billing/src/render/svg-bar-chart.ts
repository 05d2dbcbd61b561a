import { Decimal } from '@ocx/core';
import { displayAmount, escapeHtml } from './html-text.js';

/** One bar: a label and an exact amount. */
export interface ChartBar {
  label: string;
  amount: string;
}

/**
 * The share of `max` that `amount` is, as a number in [0, 1] for drawing. Only geometry uses a
 * float; amounts shown as text stay exact. Negative amounts (credits) draw no bar.
 */
function share(amount: string, max: Decimal): number {
  const value = Decimal.from(amount);
  if (max.compare('0') <= 0 || value.compare('0') <= 0) return 0;
  return Number(value.divide(max, 4, 'half-even').toString());
}

function largest(bars: readonly ChartBar[]): Decimal {
  return bars.reduce((best, bar) => best.max(bar.amount), Decimal.ZERO);
}

/** A horizontal bar chart (cost by service, by landlord) as inline SVG: no script, no external resource. */
export function horizontalBarChart(input: {
  id: string;
  title: string;
  bars: readonly ChartBar[];
  currency: string;
  scale: number;
}): string {
  const rowHeight = 22;
  const labelWidth = 150;
  const barWidth = 260;
  const height = Math.max(1, input.bars.length) * rowHeight + 8;
  const max = largest(input.bars);
  const rows = input.bars.map((bar, index) => {
    const y = index * rowHeight + 4;
    const width = Math.max(
      share(bar.amount, max) * barWidth,
      Decimal.from(bar.amount).compare('0') > 0 ? 1 : 0,
    ).toFixed(2);
    const text = `${input.currency} ${displayAmount(bar.amount, input.scale)}`;
    return [
      `<text x="0" y="${y + 14}" class="label">${escapeHtml(bar.label)}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y + 2}" width="${width}" height="${rowHeight - 6}" data-label="${escapeHtml(bar.label)}" data-amount="${escapeHtml(bar.amount)}"><title>${escapeHtml(`${bar.label}: ${text}`)}</title></rect>`,
      `<text x="${labelWidth + Number(width) + 6}" y="${y + 14}" class="value">${escapeHtml(text)}</text>`,
    ].join('');
  });
  return `<figure class="chart" id="${escapeHtml(input.id)}"><figcaption>${escapeHtml(input.title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(input.title)}" width="${labelWidth + barWidth + 120}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 120} ${height}">${rows.join('')}</svg></figure>`;
}

/** A column chart of cost per day over the period, as inline SVG. */
export function columnChart(input: {
  id: string;
  title: string;
  bars: readonly ChartBar[];
  currency: string;
  scale: number;
}): string {
  const chartHeight = 120;
  const columnWidth = Math.max(6, Math.floor(560 / Math.max(1, input.bars.length)));
  const width = columnWidth * Math.max(1, input.bars.length) + 20;
  const max = largest(input.bars);
  const columns = input.bars.map((bar, index) => {
    const height = Math.max(
      share(bar.amount, max) * chartHeight,
      Decimal.from(bar.amount).compare('0') > 0 ? 1 : 0,
    ).toFixed(2);
    const x = 10 + index * columnWidth;
    const text = `${bar.label}: ${input.currency} ${displayAmount(bar.amount, input.scale)}`;
    return `<rect class="bar" x="${x}" y="${(chartHeight - Number(height)).toFixed(2)}" width="${columnWidth - 2}" height="${height}" data-label="${escapeHtml(bar.label)}" data-amount="${escapeHtml(bar.amount)}"><title>${escapeHtml(text)}</title></rect>`;
  });
  const first = input.bars[0]?.label ?? '';
  const last = input.bars[input.bars.length - 1]?.label ?? '';
  const axis = `<line x1="10" y1="${chartHeight}" x2="${width - 10}" y2="${chartHeight}" class="axis"/><text x="10" y="${chartHeight + 14}" class="label">${escapeHtml(first)}</text><text x="${width - 10}" y="${chartHeight + 14}" class="label" text-anchor="end">${escapeHtml(last)}</text>`;
  return `<figure class="chart" id="${escapeHtml(input.id)}"><figcaption>${escapeHtml(input.title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(input.title)}" width="${width}" height="${chartHeight + 20}" viewBox="0 0 ${width} ${chartHeight + 20}">${columns.join('')}${axis}</svg></figure>`;
}
