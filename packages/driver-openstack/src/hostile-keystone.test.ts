import { runHostileBackendSuite } from '@ocx/core/testing';
import { connectOpenStackDriver } from './index.js';
import {
  HOSTILE_APP_SECRET,
  HOSTILE_PASSWORD,
  HOSTILE_TOKEN,
  honestOpenStack,
  hostileDriver,
} from './test-support/hostile-openstack.js';

// Keystone played by a hostile server from the first request on: the password login itself
// (POST /v3/auth/tokens) meets every redirect, body, slow and echo scenario. The password must
// never reach the other origin, not even when the POST is answered with a 307/308.
runHostileBackendSuite({
  name: 'openstack keystone (password auth)',
  probes: ['session.current', 'tenancy.getProject', 'connectOpenStackDriver'],
  connect: (context) => {
    const driver = hostileDriver(context, { services: ['nova', 'swift'] });
    return {
      secrets: [HOSTILE_PASSWORD],
      probes: {
        'session.current': { run: () => driver.ext.session.current() },
        'tenancy.getProject': { run: () => driver.tenancy.getProject('genomics') },
        connectOpenStackDriver: {
          run: async () => {
            const connected = await connectOpenStackDriver({
              auth: {
                url: `${context.url}/identity/v3`,
                username: 'ocx',
                password: HOSTILE_PASSWORD,
                project: 'admin',
              },
              landlord: 'landlord-a',
              service: 'openstack',
              timeoutMs: context.timeoutMs,
              logger: context.logger,
              retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
            });
            await connected.dispose();
          },
        },
      },
      close: () => driver.dispose(),
    };
  },
});

// The same with an application credential: its secret travels in the body of the login.
runHostileBackendSuite({
  name: 'openstack keystone (application-credential auth)',
  probes: ['session.current', 'identity.listProjects'],
  connect: (context) => {
    const driver = hostileDriver(context, { applicationCredential: true, services: [] });
    return {
      secrets: [HOSTILE_APP_SECRET],
      probes: {
        'session.current': { run: () => driver.ext.session.current() },
        'identity.listProjects': { run: () => driver.ext.identity.listProjects() },
      },
      close: () => driver.dispose(),
    };
  },
});

// Keystone issues an honest token, then misbehaves on the Identity API calls made with it, and on
// a rescoping login (`token` method, whose body carries the current token).
runHostileBackendSuite({
  name: 'openstack keystone (identity calls with an honest token)',
  probes: [
    'identity.listProjects',
    'identity.getProject',
    'identity.createProject',
    'identity.grantRole',
    'identity.createApplicationCredential',
    'tenancy.getProject',
    'federation.listServiceProviders',
    'limits.listLimits',
    'scopedSession.current',
  ],
  honest: honestOpenStack,
  connect: (context) => {
    const driver = hostileDriver(context, { services: [] });
    return {
      secrets: [HOSTILE_TOKEN, HOSTILE_PASSWORD],
      probes: {
        'identity.listProjects': { run: () => driver.ext.identity.listProjects({ domainId: 'default' }) },
        'identity.getProject': { run: () => driver.ext.identity.getProject('p-1') },
        'identity.createProject': {
          run: () => driver.ext.identity.createProject({ name: 'genomics', domainId: 'default' }),
        },
        'identity.grantRole': {
          run: () => driver.ext.identity.grantRole({ project: 'p-1' }, { user: 'u-1' }, 'r-1'),
          readsBody: false,
        },
        'identity.createApplicationCredential': {
          run: () => driver.ext.identity.createApplicationCredential('u-1', { name: 'ocx' }),
        },
        'tenancy.getProject': { run: () => driver.tenancy.getProject('genomics') },
        'federation.listServiceProviders': { run: () => driver.ext.federation.listServiceProviders() },
        'limits.listLimits': { run: () => driver.ext.limits.listLimits() },
        'scopedSession.current': {
          run: async () => {
            const scoped = driver.ext.scopedSession('p-2');
            try {
              return await scoped.current();
            } finally {
              await scoped.close();
            }
          },
        },
      },
      close: () => driver.dispose(),
    };
  },
});
