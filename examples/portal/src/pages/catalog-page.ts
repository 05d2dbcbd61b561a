import type { CatalogEntry, Project } from '@ocx/core';
import { html, page } from '../html.js';
import type { Session } from '../sessions.js';

/** One offering with the quota resources a sign-up may ask for. */
export interface CatalogRow {
  entry: CatalogEntry;
  quotaResources: readonly string[];
  /** Whether projects can sign up for it (the service offers tenancy). */
  signUp: boolean;
}

const FILTER_SCRIPT = `
document.getElementById('kind-filter')?.addEventListener('change', (event) => {
  const kind = event.target.value;
  for (const row of document.querySelectorAll('#catalog tbody tr')) row.hidden = kind !== '' && row.dataset.kind !== kind;
});`;

/** The catalog of landlords' services with their prices, and a sign-up form per service for the user's projects. */
export function catalogPage(input: {
  session?: Session;
  rows: CatalogRow[];
  projects: Project[];
  kinds: string[];
  flash?: { kind: 'ok' | 'error'; text: string };
}): string {
  const { session } = input;
  const rows = input.rows.map(({ entry, quotaResources, signUp }) => {
    const prices = (entry.priceList?.rates ?? []).map(
      (rate) =>
        html`<div>${rate.unitPrice} ${entry.priceList?.currency} / ${rate.unit} <span class="muted">${rate.metric}</span></div>`,
    );
    const form =
      session === undefined
        ? html`<a href="/login">Sign in</a> to sign up`
        : !signUp
          ? html`<span class="muted">no self sign-up</span>`
          : input.projects.length === 0
            ? html`<a href="/">Create a project</a> first`
            : html`<form class="inline signup" method="post" action="/signup" data-service="${entry.landlord.id}/${entry.service.id}">
<input type="hidden" name="csrf" value="${session.csrf}"><input type="hidden" name="landlord" value="${entry.landlord.id}"><input type="hidden" name="service" value="${entry.service.id}">
<select name="project" aria-label="project">${input.projects.map((project) => html`<option value="${project.id}">${project.name}</option>`)}</select>
${quotaResources.map((resource) => html`<label>${resource} <input class="quota" name="quota.${resource}" inputmode="numeric" placeholder="∞"></label>`)}
<button class="primary" type="submit">Sign up</button></form>`;
    return html`<tr data-kind="${entry.service.kind}">
<td><strong>${entry.service.name ?? entry.service.id}</strong><div class="muted">${entry.landlord.name}</div></td>
<td>${entry.service.kind}</td><td>${prices}</td><td>${entry.service.sla?.availability === undefined ? '' : `${entry.service.sla.availability} %`}</td><td>${form}</td></tr>`;
  });
  return page({
    title: 'Catalog',
    ...(session === undefined ? {} : { session }),
    ...(input.flash === undefined ? {} : { flash: input.flash }),
    script: FILTER_SCRIPT,
    body: html`<h1>Catalog</h1>
<p><label>Kind <select id="kind-filter"><option value="">all</option>${input.kinds.map((kind) => html`<option>${kind}</option>`)}</select></label></p>
<table id="catalog"><thead><tr><th>service</th><th>kind</th><th>prices</th><th>availability</th><th>sign up</th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted">Quotas left empty are unlimited. Prices are each landlord's current list prices; the bill applies their full price lists.</p>`,
  });
}
