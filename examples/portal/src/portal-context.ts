import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Billing } from '@ocx/billing';
import { type Exchange, OcxError, type Project, redactText } from '@ocx/core';
import type { SignIn } from '@ocx/identity';
import { html, page } from './html.js';
import { readForm, redirect, sameSecret, sendHtml } from './http-io.js';
import type { OidcClient } from './oidc-client.js';
import type { ProjectRow } from './pages/home-page.js';
import type { ParsedPortalOptions } from './portal-options.js';
import type { Session, SessionStore } from './sessions.js';

/** A request the routes see: its URL, session, and the response to write. */
export interface Call {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  session: Session | undefined;
}

/** One route: a method, a path pattern, and what answers it. */
export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  run(call: Call, match: RegExpExecArray): Promise<void>;
}

/** What every route shares: the exchange, billing, sessions, identity, and the checks all pages make. */
export class PortalContext {
  constructor(
    readonly config: ParsedPortalOptions,
    readonly sessions: SessionStore,
    readonly oidc: OidcClient,
    readonly signIn: SignIn,
  ) {}

  get exchange(): Exchange {
    return this.config.exchange;
  }

  get billing(): Billing {
    return this.config.billing;
  }

  /** The message left for this page by the previous request (then forgotten), as page options. */
  takeFlash(session: Session | undefined): { flash?: NonNullable<Session['flash']> } {
    const flash = session?.flash;
    if (session !== undefined) delete session.flash;
    return flash === undefined ? {} : { flash };
  }

  /** The session, or a redirect to sign in (and undefined). */
  requireSession(call: Call): Session | undefined {
    if (call.session === undefined) redirect(call.response, '/login');
    return call.session;
  }

  /** The posted form if it carries the session's CSRF token; otherwise answers 403 (and undefined). */
  async postedForm(call: Call, session: Session): Promise<URLSearchParams | undefined> {
    const form = await readForm(call.request);
    if (sameSecret(form.get('csrf'), session.csrf)) return form;
    sendHtml(
      call.response,
      403,
      page({
        title: 'Refused',
        session,
        body: html`<h1>Refused</h1><p>This form has expired. Go back, reload and try again.</p>`,
      }),
    );
    return undefined;
  }

  /** The project and the user's role in it; for a non-member answers 404 (and undefined), as if there were no such project. */
  async memberProject(
    call: Call,
    session: Session,
    id: string,
  ): Promise<{ project: Project; role: string } | undefined> {
    const membership = (await this.exchange.directory.membershipsOf(session.user.id)).find(
      (candidate) => candidate.project === id,
    );
    const project = membership === undefined ? undefined : await this.exchange.directory.project(id);
    if (project === undefined || membership === undefined) {
      sendHtml(
        call.response,
        404,
        page({
          title: 'Not found',
          session,
          body: html`<h1>Not found</h1><p>You are not a member of a project ${id}.</p>`,
        }),
      );
      return undefined;
    }
    return { project, role: membership.role };
  }

  /** The user's open projects, with their role and subscriptions. */
  async myProjects(session: Session): Promise<ProjectRow[]> {
    const rows: ProjectRow[] = [];
    for (const membership of await this.exchange.directory.membershipsOf(session.user.id)) {
      const project = await this.exchange.directory.project(membership.project);
      if (project?.status !== 'active') continue;
      rows.push({
        project,
        role: membership.role,
        subscriptions: await this.exchange.onboarding.subscriptions({ project: project.id }),
      });
    }
    return rows;
  }
}

/** What to tell the user about a refused action (the field and why); anything else is not theirs to see, and is rethrown. */
export function refusal(error: unknown): string {
  if (OcxError.is(error) && ['validation', 'conflict', 'not-found', 'capability', 'state'].includes(error.code))
    return redactText(error.message);
  throw error;
}
