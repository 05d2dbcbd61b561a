#!/usr/bin/env node
// A read-only Neutron stand-in, used only when the real neutron-server is not started: Nova looks up ports and
// security groups on every server read, delete and periodic task, and fails with EndpointNotFound/500 when no
// network endpoint answers, even for servers booted with "networks": "none". It answers every list with [].
//
//   node neutron-stub.mjs <port>        (listens on 127.0.0.1 only)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 9696);

const lists = new Map([
  ['ports', 'ports'],
  ['security-groups', 'security_groups'],
  ['networks', 'networks'],
  ['subnets', 'subnets'],
  ['floatingips', 'floatingips'],
  ['extensions', 'extensions'],
]);

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://stub').pathname.replace(/\.json$/, '');
  const send = (status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (path === '/' || path === '') {
    send(200, { versions: [{ id: 'v2.0', status: 'CURRENT', links: [] }] });
    return;
  }
  const match = /^\/v2\.0\/([a-z-]+)$/.exec(path);
  const key = match ? lists.get(match[1]) : undefined;
  if (request.method === 'GET' && key) {
    send(200, { [key]: [] });
    return;
  }
  send(404, { NeutronError: { type: 'HTTPNotFound', message: 'not served by the OCX neutron stub', detail: '' } });
});

server.listen(port, '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
