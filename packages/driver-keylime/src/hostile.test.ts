import { Secret } from '@ocx/core';
import { runHostileBackendSuite } from '@ocx/core/testing';
import { createKeylimeClient } from './client/keylime-client.js';

const AGENT = 'd432fbb3-d2f1-4a97-9ef7-75bd81c00000';

// The verifier and the registrar played by one hostile HTTPS server (mutual TLS, as Keylime is).
runHostileBackendSuite({
  name: 'keylime',
  tls: true,
  probes: ['verifier.agents.list', 'verifier.agents.get', 'verifier.agents.stop', 'registrar.agents.get'],
  connect: ({ url, timeoutMs, logger, certificates }) => {
    const keylime = createKeylimeClient({
      verifier: { url },
      registrar: { url },
      tls: { ca: certificates!.ca.cert, cert: certificates!.client.cert, key: Secret.from(certificates!.client.key) },
      // A pinned version: no negotiation, so every probe's first request meets the hostile answer.
      apiVersion: '2.1',
      timeoutMs,
      logger,
      retries: 0,
    });
    return {
      secrets: [certificates!.client.key],
      probes: {
        'verifier.agents.list': { run: () => keylime.verifier.agents.list() },
        'verifier.agents.get': { run: () => keylime.verifier.agents.get(AGENT) },
        'verifier.agents.stop': { run: () => keylime.verifier.agents.stop(AGENT) },
        'registrar.agents.get': { run: () => keylime.registrar.agents.get(AGENT) },
      },
      close: () => keylime.close(),
    };
  },
});
