import { Decimal, ManualClock, OcxError } from '@ocx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PRICE_LISTS } from './demo-prices.js';
import { DEMO_DAILY_USAGE } from './demo-world.js';
import { type DemoPortal, startDemoPortal } from './start-demo-portal.js';
import { CookieClient, csrfOf } from './test-support/cookie-client.js';

// The portal over HTTP, without a browser: the real OIDC flow against the local identity provider,
// then projects, sign-up, quotas and the bill. The browser test (portal.browser.test.ts) does the same in Chromium.

const NOW = '2026-11-20T12:00:00Z';
let demo: DemoPortal | undefined;

afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

async function start(options: Parameters<typeof startDemoPortal>[0] = {}): Promise<DemoPortal> {
  demo = await startDemoPortal({ clock: new ManualClock(NOW), ...options });
  return demo;
}

/** What the bill must say, computed from the demo's inputs: whole days so far × each metric's daily cost. */
function expectedTotal(service: 'nerc/cloud' | 'cephco/objects', days: number): string {
  const landlord = service.split('/')[0] as 'nerc' | 'cephco';
  const rates = DEMO_PRICE_LISTS[landlord].versions[0]!.rates;
  const daily = DEMO_DAILY_USAGE[service]!.map((usage) => {
    const rate = rates.find((candidate) => candidate.metric === usage.metric)!;
    if (rate.pricing.model !== 'unit') throw new Error('the demo prices per unit');
    // One line per day and metric, rounded to cents (half-even), as the billing's default rounding does.
    return Decimal.from(usage.quantity).multiply(rate.pricing.unitPrice).round(2, 'half-even');
  });
  return Decimal.sum(daily).multiply(String(days)).toFixed(2);
}

describe('the portal over HTTP', () => {
  it('signs a user in with OIDC, creates a project, signs it up, shows quotas and bills it exactly', async () => {
    const { url, world } = await start();
    const alice = new CookieClient();
    const home = await alice.signIn(url, 'alice');
    expect(home.status).toBe(200);
    expect(home.body).toContain('Welcome, Alice Smith: your account was created.');
    expect(await world.exchange.directory.user('alice')).toBeUndefined();
    const user = (await world.exchange.directory.users())[0];
    expect(user).toMatchObject({ organization: 'bu', email: 'alice@bu.edu', identity: { subject: 'alice' } });

    const created = await alice.request(`${url}/projects`, {
      form: { csrf: csrfOf(home.body), id: 'genomics', name: 'Genome assembly' },
    });
    expect(created.url).toBe(`${url}/projects/genomics`);
    expect((await world.exchange.directory.project('genomics'))?.lead).toBe(user!.id);

    const catalog = await alice.request(`${url}/catalog`);
    for (const price of ['0.0125 USD / vCPU·h', '0.0001 USD / GB·h', '0.85 USD / node·h'])
      expect(catalog.body).toContain(price);
    const signedUp = await alice.request(`${url}/signup`, {
      form: {
        csrf: csrfOf(catalog.body),
        project: 'genomics',
        landlord: 'nerc',
        service: 'cloud',
        'quota.cores': '16',
        'quota.ram-gb': '',
      },
    });
    expect(signedUp.body).toContain('Signed up for nerc/cloud.');
    // Quotas now: in use (as the service reports it) and the limit; and the history.
    expect(signedUp.body).toMatch(
      /<tr><td>nerc\/cloud<\/td><td>cores<\/td><td class="num">0<\/td><td class="num">16<\/td>/,
    );
    expect(signedUp.body).toMatch(/<td>nerc\/cloud<\/td><td>cores<\/td><td class="num">16<\/td><\/tr>/);
    expect(world.drivers['nerc/cloud']!.ext!.state.quotas.get('genomics')?.get('cores')).toBe('16');
    expect((await world.exchange.audit.query({ action: 'subscription.activate' }))[0]?.actor.id).toBe(user!.id);

    const bill = await alice.request(`${url}/projects/genomics/bill`);
    const total = /id="bill-total-USD">([^<]*)</.exec(bill.body)?.[1];
    // 19 whole days of November before the 20th.
    expect(total).toBe(`${expectedTotal('nerc/cloud', 19)} USD`);
    const invoice = (await world.billing.invoices.list('2026-11')).find(
      (candidate) => candidate.project === 'genomics',
    );
    expect(total).toBe(`${Decimal.from(invoice!.totals.total).toFixed(2)} USD`);
    expect(bill.body.match(/<rect class="bar"/g)?.length).toBe(19 + 1);
    const printable = await alice.request(`${url}/projects/genomics/bill.html?period=2026-11&currency=USD`);
    expect(printable.status).toBe(200);
    expect(printable.body).toContain('<svg');

    // No page ever carried a credential: the portal's client secret, a landlord's password.
    for (const body of alice.bodies) {
      expect(body).not.toMatch(/portal-[0-9a-f-]{36}/);
      expect(body).not.toContain('nerc-demo-keystone-password');
    }
  });

  it('refuses a form without its CSRF token and changes nothing', async () => {
    const { url, world } = await start();
    const alice = new CookieClient();
    await alice.signIn(url, 'alice');
    const refused = await alice.request(`${url}/projects`, {
      form: { csrf: 'forged', id: 'genomics', name: 'Genome assembly' },
    });
    expect(refused.status).toBe(403);
    expect(await world.exchange.directory.projects()).toEqual([]);
  });

  it('keeps projects to their members, and sign-ups to their admins', async () => {
    const { url, world } = await start();
    const alice = new CookieClient();
    const home = await alice.signIn(url, 'alice');
    await alice.request(`${url}/projects`, {
      form: { csrf: csrfOf(home.body), id: 'genomics', name: 'Genome assembly' },
    });
    const bob = new CookieClient();
    const bobHome = await bob.signIn(url, 'bob');
    expect((await bob.request(`${url}/projects/genomics`)).status).toBe(404);
    expect((await bob.request(`${url}/projects/genomics/bill`)).status).toBe(404);
    const attempt = await bob.request(`${url}/signup`, {
      form: { csrf: csrfOf(bobHome.body), project: 'genomics', landlord: 'nerc', service: 'cloud' },
    });
    expect(attempt.status).toBe(404);
    expect(await world.exchange.onboarding.subscriptions()).toEqual([]);
    // Not signed in: to the identity provider.
    const anonymous = await fetch(`${url}/projects/genomics`, { redirect: 'manual' });
    expect(anonymous.headers.get('location')).toBe('/login');
  });

  it('refuses an identity whose organization is not on the exchange, creating no user', async () => {
    const { url, world } = await start();
    const mallory = new CookieClient();
    const refused = await mallory.signIn(url, 'mallory');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatch(/organization/i);
    expect(await world.exchange.directory.users()).toEqual([]);
    expect((await world.exchange.audit.query({ action: 'user.sign-in', outcome: 'failure' })).length).toBe(1);
  });

  it('refuses a callback it did not start', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/callback?code=stolen&state=unknown`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('was not started here');
  });

  it('names a bad field of a sign-up and changes nothing', async () => {
    const { url, world } = await start();
    const alice = new CookieClient();
    const home = await alice.signIn(url, 'alice');
    const badProject = await alice.request(`${url}/projects`, {
      form: { csrf: csrfOf(home.body), id: '-bad id', name: 'x' },
    });
    expect(badProject.body).toMatch(/class="flash error"[^>]*>Invalid project: id:/);
    await alice.request(`${url}/projects`, {
      form: { csrf: csrfOf(home.body), id: 'genomics', name: 'Genome assembly' },
    });
    const bad = await alice.request(`${url}/signup`, {
      form: { csrf: csrfOf(home.body), project: 'genomics', landlord: 'nerc', service: 'cloud', 'quota.cores': 'lots' },
    });
    expect(bad.body).toContain('quota.cores: must be a whole number');
    expect(await world.exchange.onboarding.subscriptions()).toEqual([]);
    expect(world.drivers['nerc/cloud']!.ext!.state.projects.size).toBe(0);
  });

  it('reports a landlord that fails the sign-up, rolls it back and leaks no credential', async () => {
    const { url, world } = await start({
      wrap: (driver) => {
        const tenancy = driver.tenancy;
        if (
          tenancy === undefined ||
          driver.capabilities.hardware !== undefined ||
          !(driver.capabilities.quotas?.resources ?? []).includes('storage-gb')
        )
          return driver;
        return {
          ...driver,
          tenancy: {
            ...tenancy,
            ensureMember: () =>
              Promise.reject(
                new OcxError({
                  code: 'http',
                  status: 503,
                  message: 'RGW is down (secret cephco-demo-rgw-secret)',
                  retryable: true,
                }),
              ),
          },
        };
      },
    });
    const alice = new CookieClient();
    const home = await alice.signIn(url, 'alice');
    await alice.request(`${url}/projects`, {
      form: { csrf: csrfOf(home.body), id: 'genomics', name: 'Genome assembly' },
    });
    const failed = await alice.request(`${url}/signup`, {
      form: { csrf: csrfOf(home.body), project: 'genomics', landlord: 'cephco', service: 'objects' },
    });
    expect(failed.body).toContain('Sign-up for cephco/objects is failed');
    expect(failed.body).not.toContain('cephco-demo-rgw-secret');
    // Rolled back: the landlord holds nothing for the project.
    expect(world.drivers['cephco/objects']!.ext!.state.projects.has('genomics')).toBe(false);
    const bill = await alice.request(`${url}/projects/genomics/bill`);
    expect(bill.body).toContain('No usage billed in 2026-11 yet.');
  });

  it('signs in again once the identity provider’s keys are back', async () => {
    const { url, idp } = await start();
    idp.setJwksDown(true);
    const alice = new CookieClient();
    const down = await alice.signIn(url, 'alice');
    expect(down.status).toBe(401);
    expect(down.body).not.toContain('Welcome');
    expect(alice.bodies.join('\n')).not.toContain('signed-in-as');
    idp.setJwksDown(false);
    // The identity provider remembers alice (single sign-on): no form this time.
    const again = await alice.request(`${url}/login`);
    expect(again.body).toContain('Welcome, Alice Smith');
  });
});
