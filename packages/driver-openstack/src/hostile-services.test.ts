import type { IncomingMessage } from 'node:http';
import { runHostileBackendSuite } from '@ocx/core/testing';
import {
  drain,
  HOSTILE_PASSWORD,
  HOSTILE_PROJECT,
  HOSTILE_TOKEN,
  honestOpenStack,
  honestOpenStackWithProjects,
  hostileDriver,
} from './test-support/hostile-openstack.js';

/** A whole hour that has ended, for meters (they report ended buckets only). */
const lastHour = (): { start: string; end: string } => {
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  return { start: new Date(hour - 3_600_000).toISOString(), end: new Date(hour).toISOString() };
};

// Keystone answers honestly (a token whose catalog points at the same server, and the exchange
// project); then Nova, Cinder, Neutron, Glance and Swift misbehave on the calls made with that
// token. The catalog's origin is trusted with the token; any other origin gets nothing.
runHostileBackendSuite({
  name: 'openstack services (honest token and catalog)',
  probes: [
    'nova.listServers',
    'nova.getServer',
    'nova.createServer',
    'nova.deleteServer',
    'nova.serverAction',
    'nova.getQuotas',
    'nova.setQuotas',
    'nova.usageSummary',
    'nova.listFlavors',
    'nova.listInstanceActions',
    'cinder.listVolumes',
    'cinder.getQuotas',
    'cinder.createTransfer',
    'neutron.listFloatingIps',
    'neutron.getQuotas',
    'glance.listImages',
    'glance.getImage',
    'glance.addMember',
    'glance.setVisibility',
    'swift.headAccount',
    'swift.listContainers',
    'swift.listObjects',
    'swift.putObject',
    'quotas.getQuotas',
    'meters.compute.collect',
  ],
  honest: honestOpenStackWithProjects,
  connect: (context) => {
    const driver = hostileDriver(context);
    const { nova, cinder, neutron, glance, swift } = driver.ext;
    return {
      secrets: [HOSTILE_TOKEN, HOSTILE_PASSWORD],
      probes: {
        'nova.listServers': { run: () => drain(nova!.listServers({ allProjects: true })) },
        'nova.getServer': { run: () => nova!.getServer('srv-1') },
        'nova.createServer': { run: () => nova!.createServer({ name: 's', imageRef: 'img', flavorRef: 'f' }) },
        'nova.deleteServer': { run: () => nova!.deleteServer('srv-1'), readsBody: false },
        'nova.serverAction': { run: () => nova!.serverAction('srv-1', { 'os-stop': null }), readsBody: false },
        'nova.getQuotas': { run: () => nova!.getQuotas(HOSTILE_PROJECT) },
        'nova.setQuotas': { run: () => nova!.setQuotas(HOSTILE_PROJECT, { cores: 4 }) },
        'nova.usageSummary': { run: () => nova!.usageSummary(lastHour()) },
        'nova.listFlavors': { run: () => drain(nova!.listFlavors()) },
        'nova.listInstanceActions': { run: () => drain(nova!.listInstanceActions('srv-1')) },
        'cinder.listVolumes': { run: () => drain(cinder!.listVolumes({ allProjects: true })) },
        'cinder.getQuotas': { run: () => cinder!.getQuotas(HOSTILE_PROJECT) },
        'cinder.createTransfer': { run: () => cinder!.createTransfer('vol-1') },
        'neutron.listFloatingIps': { run: () => drain(neutron!.listFloatingIps()) },
        'neutron.getQuotas': { run: () => neutron!.getQuotas(HOSTILE_PROJECT) },
        'glance.listImages': { run: () => drain(glance!.listImages()) },
        'glance.getImage': { run: () => glance!.getImage('img-1') },
        'glance.addMember': { run: () => glance!.addMember('img-1', 'p-2') },
        'glance.setVisibility': { run: () => glance!.setVisibility('img-1', 'shared') },
        // A HEAD answer has no body: body scenarios only have to settle.
        'swift.headAccount': { run: () => swift!.headAccount(), readsBody: false },
        'swift.listContainers': { run: () => drain(swift!.listContainers()) },
        'swift.listObjects': { run: () => drain(swift!.listObjects('bucket')) },
        'swift.putObject': { run: () => swift!.putObject('bucket', 'a/b.txt', 'data'), readsBody: false },
        'quotas.getQuotas': { run: () => driver.quotas!.getQuotas('genomics') },
        'meters.compute.collect': { run: () => drain(driver.meters![0]!.collect(lastHour())) },
      },
      close: () => driver.dispose(),
    };
  },
});

const isVersionDocument = (request: IncomingMessage): boolean =>
  request.method === 'GET' && ['/compute/v2.1', '/volume/'].includes(new URL(request.url ?? '/', 'http://h').pathname);

// The version documents the driver negotiates microversions from, played by the hostile server.
runHostileBackendSuite({
  name: 'openstack microversion negotiation',
  probes: ['nova.microversion', 'cinder.microversion', 'nova.listServers'],
  honest: (request, response, body, context) =>
    !isVersionDocument(request) && honestOpenStack(request, response, body, context),
  connect: (context) => {
    const driver = hostileDriver(context, { services: ['nova', 'cinder'] });
    return {
      secrets: [HOSTILE_TOKEN, HOSTILE_PASSWORD],
      probes: {
        'nova.microversion': { run: () => driver.ext.nova!.microversion() },
        'cinder.microversion': { run: () => driver.ext.cinder!.microversion() },
        'nova.listServers': { run: () => drain(driver.ext.nova!.listServers()) },
      },
      close: () => driver.dispose(),
    };
  },
});
