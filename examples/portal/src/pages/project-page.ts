import type { Project, Quota, Subscription } from '@ocx/core';
import { html, page } from '../html.js';
import type { Session } from '../sessions.js';

/** What a service reports in use for a quota, or why it could not say. */
export type InUse = Record<string, string | { unavailable: string }>;

/**
 * A project: its subscriptions, its quotas now (with what each service reports in use, keyed
 * `landlord/service/resource`), and their history.
 */
export function projectPage(input: {
  session: Session;
  project: Project;
  subscriptions: Subscription[];
  current: Quota[];
  history: Quota[];
  inUse: InUse;
  flash?: { kind: 'ok' | 'error'; text: string };
}): string {
  const { project } = input;
  const used = (quota: Quota) => {
    const value = input.inUse[`${quota.landlord}/${quota.service}/${quota.resource}`];
    return value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : html`<span class="muted" title="${value.unavailable}">unavailable</span>`;
  };
  const limit = (quota: Quota) => quota.limit ?? 'unlimited';
  return page({
    title: project.name,
    session: input.session,
    ...(input.flash === undefined ? {} : { flash: input.flash }),
    body: html`<h1>${project.name} <span class="muted">${project.id}</span></h1>
<p class="actions"><a class="button" href="/projects/${encodeURIComponent(project.id)}/bill" id="bill-link">Bill</a> <a href="/catalog">Sign up for more services</a></p>
<h2>Services</h2>
${
  input.subscriptions.length === 0
    ? html`<p class="muted">No services yet: sign up in the <a href="/catalog">catalog</a>.</p>`
    : html`<table id="subscriptions"><thead><tr><th>service</th><th>status</th><th>since</th></tr></thead><tbody>${input.subscriptions.map(
        (subscription) =>
          html`<tr><td>${subscription.landlord}/${subscription.service}</td><td><span class="status ${subscription.status}">${subscription.status}</span>${subscription.error === undefined ? '' : html` <span class="muted">${subscription.error}</span>`}</td><td>${subscription.updatedAt}</td></tr>`,
      )}</tbody></table>`
}
<h2>Quotas</h2>
${
  input.current.length === 0
    ? html`<p class="muted">No quotas set.</p>`
    : html`<table id="quotas"><thead><tr><th>service</th><th>resource</th><th class="num">in use</th><th class="num">limit</th><th>since</th></tr></thead><tbody>${input.current.map(
        (quota) =>
          html`<tr><td>${quota.landlord}/${quota.service}</td><td>${quota.resource}</td><td class="num">${used(quota)}</td><td class="num">${limit(quota)}</td><td>${quota.effectiveFrom}</td></tr>`,
      )}</tbody></table>`
}
<h2>Quota history</h2>
${
  input.history.length === 0
    ? html`<p class="muted">No changes yet.</p>`
    : html`<table id="quota-history"><thead><tr><th>from</th><th>service</th><th>resource</th><th class="num">limit</th></tr></thead><tbody>${input.history.map(
        (quota) =>
          html`<tr><td>${quota.effectiveFrom}</td><td>${quota.landlord}/${quota.service}</td><td>${quota.resource}</td><td class="num">${limit(quota)}</td></tr>`,
      )}</tbody></table>`
}`,
  });
}
