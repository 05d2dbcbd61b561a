/**
 * The simulator side of bench `hil`, in its own process so the bench's peak RSS measures the SDK
 * alone. Started by index.mjs with `fork`; configured by the first IPC message
 * `{ nodes, latencyMs, actionDelayMs }`; answers `{ ready: { url, obmdUrl } }`, then
 * `stats` → `{ stats }` and `close` → exit.
 */
import { createHilSimulator } from '../../packages/driver-hil/dist/simulator/index.js';

let hil;
let cpuAtStart = process.cpuUsage();
process.on('message', async (message) => {
  if (message.start) {
    const { nodes, latencyMs, actionDelayMs, password } = message.start;
    hil = await createHilSimulator({
      nodes,
      actionDelayMs,
      users: [{ name: 'bench', password, isAdmin: true }],
    });
    // Every call to HIL and to OBMd waits `latencyMs` before it is handled, as over a real network.
    if (latencyMs > 0) {
      hil.server.inject({ kind: 'latency', ms: latencyMs, times: Number.POSITIVE_INFINITY });
      hil.obmdServer.inject({ kind: 'latency', ms: latencyMs, times: Number.POSITIVE_INFINITY });
    }
    process.send({ ready: { url: hil.url, obmdUrl: hil.obmdUrl } });
  } else if (message === 'stats') {
    const nodes = hil.state.nodes();
    process.send({
      stats: {
        hilRequests: hil.server.requests.length,
        obmdRequests: hil.obmdServer.requests.length,
        free: nodes.filter((node) => node.project === null).length,
        obmEnabled: nodes.filter((node) => node.obmEnabled).length,
        attached: nodes.filter((node) => node.nics.some((nic) => Object.keys(nic.networks).length > 0)).length,
        pendingActions: hil.state.pendingActions().length,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        cpuMs: (process.cpuUsage(cpuAtStart).user + process.cpuUsage(cpuAtStart).system) / 1000,
      },
    });
  } else if (message === 'reset-counts') {
    cpuAtStart = process.cpuUsage();
    hil.server.requests.length = 0;
    hil.obmdServer.requests.length = 0;
    process.send({ reset: true });
  } else if (message === 'close') {
    await hil.close();
    process.exit(0);
  }
});
