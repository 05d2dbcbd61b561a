import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal, ManualClock } from '@ocx/core';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoPortal, startDemoPortal } from './start-demo-portal.js';

// End to end in headless Chromium (Debian's `chromium`, driven by playwright-core): a user signs in at
// the local identity provider's login form, creates a project, signs it up in the catalog, and reads
// the bill. Without Chromium it is skipped with the reason printed, unless CI=true, where it fails.

const CHROMIUM = process.env.OCX_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const available = existsSync(CHROMIUM);
const reason = `no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set OCX_CHROMIUM_PATH)`;

if (available) {
  describe('the portal in headless Chromium', browserTests);
} else if (process.env.CI === 'true') {
  describe('the portal in headless Chromium', () => {
    it('has Chromium in CI', () => {
      expect.fail(reason);
    });
  });
} else {
  console.warn(`portal.browser.test.ts skipped: ${reason}`);
  describe.skip(`the portal in headless Chromium — skipped: ${reason}`, browserTests);
}

function browserTests(): void {
  let demo: DemoPortal;
  let browser: Browser;
  const screenshots = mkdtempSync(join(tmpdir(), 'ocx-portal-'));

  beforeAll(async () => {
    demo = await startDemoPortal({ clock: new ManualClock('2026-11-20T12:00:00Z') });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    console.log(`portal screenshots: ${screenshots}`);
  });

  it('signs in, signs up and reads the bill with its chart', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(demo.url);
    await page.click('#sign-in-button');
    // The identity provider's own login form.
    await page.waitForURL(`${demo.idp.issuer}/interaction/**`);
    await page.fill('#login', 'alice');
    await page.click('button[type=submit]');
    await page.waitForURL(`${demo.url}/`);
    expect(await page.textContent('.flash')).toContain('Welcome, Alice Smith');
    expect(await page.textContent('#signed-in-as')).toContain('Alice Smith (bu)');

    await page.fill('#create-project input[name=id]', 'genomics');
    await page.fill('#create-project input[name=name]', 'Genome assembly');
    await page.click('#create-project button');
    await page.waitForURL(`${demo.url}/projects/genomics`);

    await page.goto(`${demo.url}/catalog`);
    // The little script: filtering the catalog by kind hides the other rows.
    await page.selectOption('#kind-filter', 'compute');
    expect(await page.locator('#catalog tbody tr:visible').count()).toBe(1);
    await page.selectOption('#kind-filter', '');
    expect(await page.locator('#catalog tbody tr:visible').count()).toBe(3);
    const signup = page.locator('form.signup[data-service="nerc/cloud"]');
    await signup.locator('input[name="quota.cores"]').fill('16');
    await page.screenshot({ path: join(screenshots, '1-catalog.png'), fullPage: true });
    await signup.locator('button').click();
    await page.waitForURL(`${demo.url}/projects/genomics`);
    expect(await page.textContent('.flash')).toContain('Signed up for nerc/cloud.');
    expect(await page.textContent('#subscriptions')).toContain('active');
    expect(await page.textContent('#quotas')).toContain('16');
    await page.screenshot({ path: join(screenshots, '2-project.png'), fullPage: true });

    await page.click('#bill-link');
    await page.waitForURL(`${demo.url}/projects/genomics/bill`);
    const invoice = (await demo.world.billing.invoices.list('2026-11')).find(
      (candidate) => candidate.project === 'genomics',
    );
    expect(invoice).toBeDefined();
    // 19 whole days × (48 vCPU·h × 0.0125 + 96 GB·h × 0.0025) = 19 × 0.84.
    expect(Decimal.from(invoice!.totals.total).equals(Decimal.from('0.84').multiply('19'))).toBe(true);
    expect(await page.textContent('#bill-total-USD')).toBe('15.96 USD');
    const bars = page.locator('#chart-days-USD rect.bar');
    expect(await bars.count()).toBe(19);
    const firstBar = await bars.first().boundingBox();
    expect(firstBar?.height ?? 0).toBeGreaterThan(10);
    await page.screenshot({ path: join(screenshots, '3-bill.png'), fullPage: true });

    await page.click('#printable-bill');
    await page.waitForURL(/bill\.html/);
    expect(await page.locator('svg rect').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshots, '4-printable-bill.png'), fullPage: true });
    await page.close();
  }, 60_000);
}
