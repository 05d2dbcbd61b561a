import type { M2Reply } from './m2-reply.js';

/**
 * The HTML pages Werkzeug (the library under Flask, 0.x as M2 pinned it) sends for the errors it
 * raises itself, before any M2 code runs: an unknown route, a wrong method, a missing form field
 * (`request.form[...]` raises a 400) and an uncaught exception.
 */
const PAGES: Record<number, { title: string; description: string }> = {
  400: {
    title: 'Bad Request',
    description: 'The browser (or proxy) sent a request that this server could not understand.',
  },
  404: {
    title: 'Not Found',
    description:
      'The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.',
  },
  405: { title: 'Method Not Allowed', description: 'The method is not allowed for the requested URL.' },
  500: {
    title: 'Internal Server Error',
    description:
      'The server encountered an internal error and was unable to complete your request.  Either the server is overloaded or there is an error in the application.',
  },
};

const DOCTYPE = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">';

/** Werkzeug's error page for 400, 404, 405 or 500. */
export function werkzeugErrorPage(status: 400 | 404 | 405 | 500, headers?: Record<string, string>): M2Reply {
  const page = PAGES[status]!;
  const body = `${DOCTYPE}\n<title>${status} ${page.title}</title>\n<h1>${page.title}</h1>\n<p>${page.description}</p>\n`;
  return { status, body, contentType: 'text/html', ...(headers === undefined ? {} : { headers }) };
}

/**
 * Werkzeug's answer to a route declared with a trailing slash and requested without it: a 301 to
 * the slashed URL, whatever the method. Clients must use the exact paths.
 */
export function werkzeugRedirect(location: string): M2Reply {
  const body =
    `${DOCTYPE}\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n` +
    `<p>You should be redirected automatically to target URL: <a href="${location}">${location}</a>.  If not click the link.`;
  return { status: 301, body, contentType: 'text/html; charset=utf-8', headers: { location } };
}
