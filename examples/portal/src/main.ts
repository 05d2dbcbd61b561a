/**
 * Run the portal demo: `pnpm --filter @ocx/example-portal start`, then open the printed URL and sign
 * in as `alice` (no password). `PORTAL_PORT` picks the port (default 8400). 127.0.0.1 only.
 */
import { consoleLogger } from '@ocx/core';
import { DEMO_USERS, startDemoPortal } from './start-demo-portal.js';

const demo = await startDemoPortal({ port: Number(process.env.PORTAL_PORT ?? 8400), logger: consoleLogger('warn') });
console.log(`OCX portal: ${demo.url}
identity provider: ${demo.idp.issuer}
sign in as one of: ${DEMO_USERS.map((user) => user.sub).join(', ')} (no password; mallory's organization is not on the exchange)
Ctrl-C stops it.`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void demo.close().then(() => process.exit(0));
  });
}
