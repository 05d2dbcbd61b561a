import type { Project, Subscription } from '@ocx/core';
import { html, page } from '../html.js';
import type { Session } from '../sessions.js';

/** One of the signed-in user's projects, with their role and the project's subscriptions. */
export interface ProjectRow {
  project: Project;
  role: string;
  subscriptions: Subscription[];
}

/** The landing page: a sign-in invitation, or the user's projects and a form to create one. */
export function homePage(input: {
  session?: Session;
  projects: ProjectRow[];
  flash?: { kind: 'ok' | 'error'; text: string };
}): string {
  const { session } = input;
  if (session === undefined) {
    return page({
      title: 'Welcome',
      body: html`<h1>Open Cloud eXchange</h1>
<div class="card"><p>Pick and combine services from the exchange's landlords — bare metal, clouds, storage — and see what your projects use and cost.</p>
<p><a class="button" href="/login" id="sign-in-button">Sign in with your institution</a></p>
<p class="muted">Browse the <a href="/catalog">catalog</a> without signing in.</p></div>`,
      ...(input.flash === undefined ? {} : { flash: input.flash }),
    });
  }
  const rows = input.projects.map(
    ({ project, role, subscriptions }) => html`<tr>
<td><a href="/projects/${encodeURIComponent(project.id)}">${project.name}</a> <span class="muted">${project.id}</span></td>
<td>${role}</td><td>${subscriptions.filter((subscription) => subscription.status === 'active').length}</td>
<td><a href="/projects/${encodeURIComponent(project.id)}/bill">bill</a></td></tr>`,
  );
  return page({
    title: 'Your projects',
    session,
    ...(input.flash === undefined ? {} : { flash: input.flash }),
    body: html`<h1>Your projects</h1>
${rows.length === 0 ? html`<p class="muted" id="no-projects">You have no project yet.</p>` : html`<table id="projects"><thead><tr><th>project</th><th>your role</th><th>active services</th><th></th></tr></thead><tbody>${rows}</tbody></table>`}
<h2>Create a project</h2>
<div class="card"><form class="inline" method="post" action="/projects" id="create-project">
<input type="hidden" name="csrf" value="${session.csrf}">
<label>Id <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9._-]*" maxlength="64" placeholder="genomics"></label>
<label>Name <input name="name" required maxlength="200" placeholder="Genome assembly"></label>
<button class="primary" type="submit">Create</button></form>
<p class="muted">You lead it; it is sponsored by your organization (${session.user.organization}).</p></div>`,
  });
}
