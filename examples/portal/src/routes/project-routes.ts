import { renderHtmlBill } from '@ocx/billing';
import { type Exchange, OcxError, type Principal, redactText, type Subscription } from '@ocx/core';
import { html, page } from '../html.js';
import { redirect, sendHtml } from '../http-io.js';
import { billPage } from '../pages/bill-page.js';
import { homePage } from '../pages/home-page.js';
import { type InUse, projectPage } from '../pages/project-page.js';
import { type PortalContext, type Route, refusal } from '../portal-context.js';
import { projectBill } from '../project-bill.js';

/** The user's projects: the list, creating one, a project's services and quotas, and its bill. */
export function projectRoutes(context: PortalContext): Route[] {
  const { exchange, billing } = context;
  return [
    {
      method: 'GET',
      path: /^\/$/,
      run: async (call) => {
        const projects = call.session === undefined ? [] : await context.myProjects(call.session);
        sendHtml(
          call.response,
          200,
          homePage({
            ...(call.session === undefined ? {} : { session: call.session }),
            projects,
            ...context.takeFlash(call.session),
          }),
        );
      },
    },
    {
      method: 'POST',
      path: /^\/projects$/,
      run: async (call) => {
        const session = context.requireSession(call);
        const form = session === undefined ? undefined : await context.postedForm(call, session);
        if (session === undefined || form === undefined) return;
        try {
          const input = {
            id: form.get('id') ?? '',
            name: form.get('name') ?? '',
            organization: session.user.organization,
            lead: session.user.id,
          };
          const project = await exchange.directory.createProject(input, { actor: session.principal });
          session.flash = { kind: 'ok', text: `Project ${project.name} created.` };
          redirect(call.response, `/projects/${encodeURIComponent(project.id)}`);
        } catch (error) {
          session.flash = { kind: 'error', text: refusal(error) };
          redirect(call.response, '/');
        }
      },
    },
    {
      method: 'GET',
      path: /^\/projects\/([^/]+)$/,
      run: async (call, match) => {
        const session = context.requireSession(call);
        const member =
          session === undefined ? undefined : await context.memberProject(call, session, decodeURIComponent(match[1]!));
        if (session === undefined || member === undefined) return;
        const scope = { kind: 'project' as const, id: member.project.id };
        const subscriptions = await exchange.onboarding.subscriptions({ project: member.project.id });
        const view = {
          session,
          project: member.project,
          subscriptions,
          current: await exchange.quotas.current({ scope }),
          history: await exchange.quotas.history({ scope }),
          inUse: await quotasInUse(exchange, member.project.id, subscriptions, session.principal),
          ...context.takeFlash(session),
        };
        sendHtml(call.response, 200, projectPage(view));
      },
    },
    {
      method: 'GET',
      path: /^\/projects\/([^/]+)\/bill(\.html)?$/,
      run: async (call, match) => {
        const session = context.requireSession(call);
        const member =
          session === undefined ? undefined : await context.memberProject(call, session, decodeURIComponent(match[1]!));
        if (session === undefined || member === undefined) return;
        const period = call.url.searchParams.get('period');
        const bill = await projectBill({
          exchange,
          billing,
          project: member.project,
          collectUsage: context.config.collectUsage,
          ...(period === null ? {} : { periodId: period }),
        });
        if (match[2] === undefined) {
          sendHtml(call.response, 200, billPage({ session, project: member.project, bill }));
          return;
        }
        const currency = call.url.searchParams.get('currency');
        const summary = bill.summaries.find((candidate) => currency === null || candidate.currency === currency);
        if (summary === undefined) {
          sendHtml(
            call.response,
            404,
            page({
              title: 'No bill',
              session,
              body: html`<h1>No bill</h1><p>Nothing billed in ${bill.period.id}.</p>`,
            }),
          );
          return;
        }
        const landlordNames = Object.fromEntries(
          exchange.landlords.list().map((landlord) => [landlord.id, landlord.name]),
        );
        sendHtml(call.response, 200, renderHtmlBill(summary, { issuer: exchange.name, landlordNames }));
      },
    },
  ];
}

/**
 * What each active service with quotas reports in use for the project (`exchange.quotas.check`).
 * A service that cannot answer is shown as unavailable; the page still renders.
 */
async function quotasInUse(
  exchange: Exchange,
  project: string,
  subscriptions: Subscription[],
  actor: Principal,
): Promise<InUse> {
  const inUse: InUse = {};
  for (const { landlord, service, status } of subscriptions) {
    const resources = exchange.landlords.has(landlord)
      ? exchange.landlords.service(landlord, service).driver.quotas?.resources
      : undefined;
    if (status !== 'active' || resources === undefined) continue;
    try {
      for (const item of await exchange.quotas.check({ landlord, service, project }, { actor })) {
        if (item.inUse !== undefined) inUse[`${landlord}/${service}/${item.resource}`] = item.inUse;
      }
    } catch (error) {
      const reason = redactText(OcxError.is(error) ? `${error.code}: ${error.message}` : String(error));
      for (const resource of resources) inUse[`${landlord}/${service}/${resource}`] = { unavailable: reason };
    }
  }
  return inUse;
}
