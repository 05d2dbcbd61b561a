import type { ProjectSummary, SummarySection } from '../invoice/project-summary.js';
import { displayAmount, escapeHtml } from './html-text.js';
import { columnChart, horizontalBarChart } from './svg-bar-chart.js';

/** Options of {@link renderHtmlBill}. */
export interface HtmlBillOptions {
  /** The exchange's name, printed as the issuer. */
  issuer: string;
  /** Digits amounts are shown with at least (the rounding scale). */
  scale?: number;
  landlordNames?: Readonly<Record<string, string>>;
}

const STYLE = `
*{box-sizing:border-box}body{font:12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:24px;max-width:900px}
h1{font-size:20px;margin:0}h2{font-size:14px;margin:18px 0 6px;border-bottom:1px solid #d5d9e0;padding-bottom:2px}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:16px}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-weight:600;font-size:11px;background:#e8eefc;color:#2146b5}
.badge.draft{background:#fff4d6;color:#8a5a00}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dt{color:#5a6272}dd{margin:0}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{padding:3px 6px;text-align:left;border-bottom:1px solid #eceef2}
th{background:#f5f6f8;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{margin:0}.chart figcaption{font-weight:600;margin-bottom:4px}
.bar{fill:#3b6fd8}.axis{stroke:#9aa3b2}.label,.value{font-size:11px;fill:#3a4252}
.totals{margin-left:auto;width:320px}.totals td{border:none}.totals tr.total td{border-top:2px solid #1d2330;font-weight:700;font-size:14px}
footer{margin-top:16px;color:#5a6272;font-size:11px}@page{size:A4;margin:12mm}@media print{body{margin:0}}`;

/**
 * Render the one-page project bill as a self-contained HTML page: inline CSS and inline SVG charts
 * (cost by service, by landlord, and per day over the period), no script and no external resource,
 * so it opens offline, prints, and turns into a PDF as it is.
 *
 * @example
 * ```ts
 * const html = renderHtmlBill(summarizeProject(invoice, { profile }), { issuer: 'MOC Exchange' });
 * await writeFile('bill.html', html);
 * ```
 */
export function renderHtmlBill(summary: ProjectSummary, options: HtmlBillOptions): string {
  const scale = options.scale ?? 2;
  const money = (amount: string) => `${escapeHtml(summary.currency)} ${escapeHtml(displayAmount(amount, scale))}`;
  const landlordName = (id: string) => options.landlordNames?.[id] ?? id;
  const title = `${summary.project.name ?? summary.project.id} — ${summary.period.id}`;
  const who = [
    ['Project', `${summary.project.name ?? summary.project.id} (${summary.project.id})`],
    ['Organization', `${summary.organization.name ?? summary.organization.id} (${summary.organization.id})`],
    ['Project lead', summary.lead === undefined ? 'not on record' : `${summary.lead.name} <${summary.lead.email}>`],
    ['Period', `${summary.period.start.slice(0, 10)} to ${summary.period.end.slice(0, 10)} (UTC, end exclusive)`],
    ['Invoice', summary.invoiceId],
    ['Price lists', summary.priceListVersions.join(', ') || 'none'],
  ];
  const charts = [
    horizontalBarChart({
      id: 'chart-by-service',
      title: 'Cost by service',
      bars: summary.byService.map((row) => ({ label: row.key, amount: row.amount })),
      currency: summary.currency,
      scale,
    }),
    horizontalBarChart({
      id: 'chart-by-landlord',
      title: 'Cost by landlord',
      bars: summary.byLandlord.map((row) => ({ label: landlordName(row.key), amount: row.amount })),
      currency: summary.currency,
      scale,
    }),
    columnChart({
      id: 'chart-over-period',
      title: 'Cost per day',
      bars: summary.byDay.map((row) => ({ label: row.key, amount: row.amount })),
      currency: summary.currency,
      scale,
    }),
  ];
  const totals = [
    ['Charges', summary.totals.charges],
    ['Corrections of earlier periods', summary.totals.corrections],
    ['Discounts', summary.totals.discounts],
    ['Credits', summary.totals.credits],
    ['Rounding', summary.totals.rounding],
  ].filter(([label, amount]) => label === 'Charges' || amount !== '0');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<header><div><h1>Project summary bill</h1><div>${escapeHtml(options.issuer)}</div></div>
<div><span class="badge ${summary.status === 'draft' ? 'draft' : ''}" id="invoice-status">${summary.status === 'draft' ? 'DRAFT' : 'FINAL'}</span> <span class="badge" id="invoice-mode">${summary.mode === 'showback' ? 'Showback — not charged' : 'Chargeback'}</span></div></header>
<dl>${who.map(([label, value]) => `<dt>${escapeHtml(label!)}</dt><dd>${escapeHtml(value!)}</dd>`).join('')}</dl>
<section class="charts">${charts.join('')}</section>
${summary.sections.map((section) => sectionTable(section, money, landlordName)).join('\n')}
${quotaTable(summary)}
${usersTable(summary, money)}
${summary.adjustments.length === 0 ? '' : `<h2>Adjustments</h2><table><thead><tr><th>Kind</th><th>Description</th><th class="num">Amount</th></tr></thead><tbody>${summary.adjustments.map((item) => `<tr><td>${escapeHtml(item.category)}</td><td>${escapeHtml(item.description)}</td><td class="num">${money(item.amount)}</td></tr>`).join('')}</tbody></table>`}
<h2>Total</h2>
<table class="totals"><tbody>${totals.map(([label, amount]) => `<tr><td>${escapeHtml(label!)}</td><td class="num">${money(amount!)}</td></tr>`).join('')}
<tr class="total"><td>Total ${summary.mode === 'showback' ? '(shown, not charged)' : 'due'}</td><td class="num" id="invoice-total" data-amount="${escapeHtml(summary.totals.total)}">${money(summary.totals.total)}</td></tr></tbody></table>
<footer>Amounts are exact decimals; quantities are as metered, in the units shown. Windows are UTC.</footer>
</body></html>
`;
}

function sectionTable(
  section: SummarySection,
  money: (amount: string) => string,
  landlordName: (id: string) => string,
): string {
  const head = `<tr><th>Resource</th><th>Landlord</th>${section.metrics.map((metric) => `<th class="num">${escapeHtml(metric.metric)}${metric.unit === '' ? '' : ` (${escapeHtml(metric.unit)})`}</th>`).join('')}<th class="num">Cost</th></tr>`;
  const rows = section.rows.map(
    (row) =>
      `<tr><td>${escapeHtml(row.resource.name ?? row.resource.id)}</td><td>${escapeHtml(landlordName(row.landlord))}</td>${section.metrics.map((metric) => `<td class="num">${escapeHtml(row.quantities[metric.metric] ?? '')}</td>`).join('')}<td class="num">${money(row.amount)}</td></tr>`,
  );
  return `<h2 id="section-${section.id}">${escapeHtml(section.title)} <small>${money(section.amount)}</small></h2><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function quotaTable(summary: ProjectSummary): string {
  if (summary.quotaPeriods.length === 0) return '';
  const rows = summary.quotaPeriods.map(
    (period) =>
      `<tr><td>${escapeHtml(period.landlord)}/${escapeHtml(period.service)}</td><td>${escapeHtml(period.resource)}</td><td class="num">${escapeHtml(period.limit)}</td><td>${escapeHtml(period.start)}</td><td>${escapeHtml(period.end)}</td></tr>`,
  );
  return `<h2>Quota periods</h2><table><thead><tr><th>Service</th><th>Resource</th><th class="num">Limit</th><th>From</th><th>Until</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function usersTable(summary: ProjectSummary, money: (amount: string) => string): string {
  if (summary.users.length === 0) return '';
  const rows = summary.users.map(
    (user) =>
      `<tr><td>${escapeHtml(user.name ?? user.id)}</td><td>${escapeHtml(user.email ?? '')}</td><td class="num">${money(user.amount)}</td></tr>`,
  );
  return `<h2>Cost by user</h2><table><thead><tr><th>User</th><th>Email</th><th class="num">Cost</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
