import { z } from 'zod';
import { basicAuth } from '../../http/auth/basic-auth.js';
import { createHttpClient } from '../../http/http-client.js';
import { nextLinkPages } from '../../http/link-pages.js';
import { runHostileBackendSuite } from './hostile-suite.js';

const PASSWORD = 'core-client-password';
const HEADER_SECRET = 'core-client-header-secret';

// The kit against the core HTTP client itself: every driver built on it starts from here.
runHostileBackendSuite({
  name: 'core HTTP client',
  probes: ['get JSON', 'post JSON', 'delete (no body read)', 'list pages'],
  connect: ({ url, timeoutMs, logger }) => {
    const client = createHttpClient({
      backend: 'reference',
      baseUrl: url,
      auth: basicAuth({ username: 'landlord', password: PASSWORD }),
      headers: { 'X-Api-Key': HEADER_SECRET },
      timeoutMs,
      logger,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
    });
    const page = z.object({ items: z.array(z.string()), next: z.string().optional() });
    return {
      secrets: [PASSWORD, HEADER_SECRET],
      probes: {
        'get JSON': { run: () => client.get('/items', { schema: z.array(z.string()) }) },
        'post JSON': {
          run: () => client.post('/items', { json: { name: 'n1' }, schema: z.object({ id: z.string() }) }),
        },
        'delete (no body read)': { run: () => client.delete('/items/n1', { responseType: 'empty' }), readsBody: false },
        'list pages': {
          run: async () => {
            const items: string[] = [];
            const pages = nextLinkPages({
              client,
              path: '/pages',
              schema: page,
              items: (data) => data.items,
              next: (data) => data.next,
            });
            for await (const item of pages) items.push(item);
            return items;
          },
        },
      },
    };
  },
  listing: { probe: 'list pages', page: (nextUrl) => ({ body: { items: ['a'], next: nextUrl } }) },
});
