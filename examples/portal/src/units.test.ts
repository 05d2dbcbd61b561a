import { describe, expect, it } from 'vitest';
import { barChart } from './bar-chart.js';
import { createDemoWorld } from './demo-world.js';
import { money } from './html.js';
import { pkceChallenge } from './oidc-client.js';
import { createPortalHandler } from './portal-handler.js';

describe('pkceChallenge', () => {
  it('is the S256 challenge of RFC 7636, appendix B', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

describe('barChart', () => {
  it('draws a bar per positive amount, scaled exactly, and escapes labels', () => {
    const svg = barChart({
      id: 'c',
      title: 'Cost <per> day',
      currency: 'USD',
      bars: [
        { label: 'a', amount: '2' },
        { label: '<b>', amount: '1' },
        { label: 'c', amount: '0' },
        { label: 'd', amount: '-1' },
      ],
    });
    const heights = [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(heights).toEqual([150, 75]);
    expect(svg).toContain('&#60;b&#62;: 1 USD');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('Cost &#60;per&#62; day');
  });
});

describe('money', () => {
  it('shows at least two decimals without rounding through a float', () => {
    expect(money('15.96', 'USD')).toBe('15.96 USD');
    expect(money('3', 'EUR')).toBe('3.00 EUR');
    expect(money('0.12345', 'USD')).toBe('0.12345 USD');
    expect(money('-1.5', 'USD')).toBe('-1.50 USD');
  });
});

describe('createPortalHandler options', () => {
  it('names the bad fields', async () => {
    const world = await createDemoWorld();
    try {
      const identity = { issuer: 'http://127.0.0.1:9', clientId: 'portal', clientSecret: 'portal-secret-1' };
      expect(() =>
        createPortalHandler({ exchange: world.exchange, billing: world.billing, baseUrl: 'not a url', identity }),
      ).toThrow(/baseUrl/);
      expect(() =>
        createPortalHandler({
          exchange: world.exchange,
          billing: world.billing,
          baseUrl: 'http://127.0.0.1:1',
          identity: { ...identity, clientId: '' },
        }),
      ).toThrow(/identity\.clientId/);
      expect(() =>
        createPortalHandler({ exchange: {} as never, billing: world.billing, baseUrl: 'http://127.0.0.1:1', identity }),
      ).toThrow(/exchange: must be an Exchange/);
    } finally {
      await world.close();
    }
  });
});
