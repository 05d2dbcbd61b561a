/**
 * `@ocx/example-portal`: a small web portal on an exchange — OIDC sign-in, the catalog with prices,
 * sign-up for services, quotas and the project's bill with charts.
 * @packageDocumentation
 */

export type { Bar } from './bar-chart.js';
export { barChart } from './bar-chart.js';
export { DEMO_PRICE_LISTS } from './demo-prices.js';
export type { DemoWorld } from './demo-world.js';
export { createDemoWorld, DEMO_DAILY_USAGE } from './demo-world.js';
export type { LoopbackServer } from './loopback-server.js';
export { serveLoopback } from './loopback-server.js';
export type { OidcClient, PendingSignIn } from './oidc-client.js';
export { createOidcClient, pkceChallenge, randomToken } from './oidc-client.js';
export type { PortalHandler } from './portal-handler.js';
export { createPortalHandler } from './portal-handler.js';
export type { PortalOptions } from './portal-options.js';
export { PortalOptionsSchema } from './portal-options.js';
export type { ProjectBill } from './project-bill.js';
export { projectBill } from './project-bill.js';
export type { DemoPortal } from './start-demo-portal.js';
export { DEMO_USERS, startDemoPortal } from './start-demo-portal.js';
