/**
 * A minimal browser for HTTP-level tests: a cookie jar (by host, as browsers keep them, whatever the
 * port), redirects followed by hand, forms posted url-encoded. Tests only; the browser test uses Chromium.
 */
export class CookieClient {
  readonly #jar = new Map<string, Map<string, string>>();
  /** Every page body this client received, to check that none leaks a secret. */
  readonly bodies: string[] = [];

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ status: number; url: string; headers: Headers; body: string }> {
    let current = url;
    let method = init.method ?? (init.form === undefined ? 'GET' : 'POST');
    let body: string | undefined = init.form === undefined ? undefined : new URLSearchParams(init.form).toString();
    for (let hop = 0; hop < 10; hop += 1) {
      const host = new URL(current).hostname;
      const cookies = [...(this.#jar.get(host)?.entries() ?? [])].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetch(current, {
        method,
        redirect: 'manual',
        headers: {
          ...(cookies === '' ? {} : { cookie: cookies }),
          ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(body === undefined ? {} : { body }),
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const [name = '', ...value] = pair.split('=');
        const jar = this.#jar.get(host) ?? new Map<string, string>();
        if (/max-age=0/i.test(cookie) || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name.trim());
        else jar.set(name.trim(), value.join('='));
        this.#jar.set(host, jar);
      }
      const location = response.headers.get('location');
      if (location === null || response.status < 300 || response.status >= 400) {
        const text = await response.text();
        this.bodies.push(text);
        return { status: response.status, url: current, headers: response.headers, body: text };
      }
      await response.arrayBuffer();
      current = new URL(location, current).toString();
      // 303 (and 302 after a POST, as browsers do) turn into a GET.
      method = 'GET';
      body = undefined;
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Sign in at the portal through the identity provider's real login form. */
  async signIn(portalUrl: string, login: string): Promise<{ status: number; body: string }> {
    const form = await this.request(`${portalUrl}/login`);
    const action = /action="([^"]+\/login)"/.exec(form.body)?.[1];
    if (action === undefined) throw new Error(`no login form at ${form.url}: ${form.status}`);
    return this.request(new URL(action, form.url).toString(), { form: { login, password: '' } });
  }
}

/** The CSRF token of the last page's forms. */
export function csrfOf(body: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
  if (token === undefined) throw new Error('no CSRF token on the page');
  return token;
}
