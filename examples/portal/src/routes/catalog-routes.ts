import { OcxError, redactText } from '@ocx/core';
import { redirect, sendHtml } from '../http-io.js';
import { catalogPage } from '../pages/catalog-page.js';
import { type PortalContext, type Route, refusal } from '../portal-context.js';

/** The catalog with prices (`exchange.catalog.find`), and sign-up for a service (`exchange.onboarding.signUp`). */
export function catalogRoutes(context: PortalContext): Route[] {
  const { exchange } = context;
  return [
    {
      method: 'GET',
      path: /^\/catalog$/,
      run: async (call) => {
        const rows = exchange.catalog.find().map((entry) => {
          const driver = exchange.landlords.service(entry.landlord.id, entry.service.id).driver;
          return { entry, quotaResources: driver.quotas?.resources ?? [], signUp: driver.tenancy !== undefined };
        });
        const projects =
          call.session === undefined
            ? []
            : (await context.myProjects(call.session)).filter((row) => row.role === 'admin').map((row) => row.project);
        const session = call.session === undefined ? {} : { session: call.session };
        sendHtml(
          call.response,
          200,
          catalogPage({
            ...session,
            rows,
            projects,
            kinds: exchange.catalog.kinds(),
            ...context.takeFlash(call.session),
          }),
        );
      },
    },
    {
      method: 'POST',
      path: /^\/signup$/,
      run: async (call) => {
        const session = context.requireSession(call);
        const form = session === undefined ? undefined : await context.postedForm(call, session);
        if (session === undefined || form === undefined) return;
        const member = await context.memberProject(call, session, form.get('project') ?? '');
        if (member === undefined) return;
        const back = `/projects/${encodeURIComponent(member.project.id)}`;
        if (member.role !== 'admin') {
          session.flash = { kind: 'error', text: 'Only the project’s admins can sign it up for services.' };
          redirect(call.response, back);
          return;
        }
        try {
          const quotas = quotasFrom(form);
          const request = {
            landlord: form.get('landlord') ?? '',
            service: form.get('service') ?? '',
            ...(quotas === undefined ? {} : { quotas }),
          };
          const [subscription] = await exchange.onboarding.signUp(
            { project: member.project.id, services: [request] },
            { actor: session.principal },
          );
          const name = `${subscription?.landlord}/${subscription?.service}`;
          session.flash =
            subscription?.status === 'active'
              ? { kind: 'ok', text: `Signed up for ${name}.` }
              : {
                  kind: 'error',
                  text: `Sign-up for ${name} is ${subscription?.status}${subscription?.error === undefined ? '' : `: ${redactText(subscription.error)}`}.`,
                };
          redirect(call.response, back);
        } catch (error) {
          session.flash = { kind: 'error', text: refusal(error) };
          redirect(call.response, '/catalog');
        }
      },
    },
  ];
}

/** The quotas a sign-up form asks for: `quota.<resource>` fields; an empty one is not asked (unlimited). */
function quotasFrom(form: URLSearchParams): Record<string, string> | undefined {
  const quotas: Record<string, string> = {};
  for (const [name, value] of form) {
    if (!name.startsWith('quota.') || value.trim() === '') continue;
    if (!/^\d+$/.test(value.trim())) {
      throw new OcxError({
        code: 'validation',
        message: `${name}: must be a whole number (or empty for unlimited)`,
        issues: [{ path: name, message: 'must be a whole number' }],
        fault: 'client',
      });
    }
    quotas[name.slice('quota.'.length)] = value.trim();
  }
  return Object.keys(quotas).length === 0 ? undefined : quotas;
}
