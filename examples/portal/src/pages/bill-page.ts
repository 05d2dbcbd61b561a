import type { Project } from '@ocx/core';
import { barChart } from '../bar-chart.js';
import { html, money, page, SafeHtml } from '../html.js';
import type { ProjectBill } from '../project-bill.js';
import type { Session } from '../sessions.js';

/** The project's bill for a period: total, cost by service and landlord, charts per day and per service. */
export function billPage(input: { session: Session; project: Project; bill: ProjectBill }): string {
  const { project, bill } = input;
  const base = `/projects/${encodeURIComponent(project.id)}/bill`;
  const summaries = bill.summaries.map((summary) => {
    const day = (key: string) => key.slice(8, 10) || key;
    return html`<section class="card invoice" data-currency="${summary.currency}">
<p>Total <span class="total" id="bill-total-${summary.currency}">${money(summary.totals.total, summary.currency)}</span> <span class="status">${summary.status}</span></p>
<table class="totals"><tbody>
<tr><td>Charges</td><td class="num">${money(summary.totals.charges, summary.currency)}</td></tr>
<tr><td>Corrections</td><td class="num">${money(summary.totals.corrections, summary.currency)}</td></tr>
<tr><td>Credits and discounts</td><td class="num">${money(summary.totals.credits, summary.currency)} / ${money(summary.totals.discounts, summary.currency)}</td></tr>
<tr><td>Rounding</td><td class="num">${money(summary.totals.rounding, summary.currency)}</td></tr></tbody></table>
<div class="charts">${new SafeHtml(barChart({ id: `chart-days-${summary.currency}`, title: 'Cost per day', currency: summary.currency, bars: summary.byDay.map((row) => ({ label: day(row.key), amount: row.amount })) }))}
${new SafeHtml(barChart({ id: `chart-services-${summary.currency}`, title: 'Cost by service', currency: summary.currency, bars: summary.byService.map((row) => ({ label: row.key, amount: row.amount })) }))}</div>
<h2>By service</h2><table class="by-service"><thead><tr><th>service</th><th class="num">lines</th><th class="num">amount</th></tr></thead><tbody>${summary.byService.map((row) => html`<tr><td>${row.key}</td><td class="num">${row.lines}</td><td class="num">${money(row.amount, row.currency)}</td></tr>`)}</tbody></table>
<h2>By landlord</h2><table class="by-landlord"><thead><tr><th>landlord</th><th class="num">amount</th></tr></thead><tbody>${summary.byLandlord.map((row) => html`<tr><td>${row.key}</td><td class="num">${money(row.amount, row.currency)}</td></tr>`)}</tbody></table>
<p><a href="${base}.html?period=${bill.period.id}&amp;currency=${summary.currency}" id="printable-bill">Printable bill</a> <span class="muted">priced with ${summary.priceListVersions.join(', ')}</span></p>
</section>`;
  });
  return page({
    title: `Bill of ${project.name}`,
    session: input.session,
    body: html`<h1>Bill of ${project.name} <span class="muted">${bill.period.id}</span></h1>
<p class="muted">${bill.period.start} – ${bill.period.end} (UTC, end excluded). <a href="/projects/${encodeURIComponent(project.id)}">Back to the project</a></p>
${summaries.length === 0 ? html`<div class="card" id="no-bill">No usage billed in ${bill.period.id} yet.</div>` : summaries}`,
  });
}
