import { type HilClientOptions, parseHilClientOptions } from './client-options.js';
import { createHilTransport } from './hil-transport.js';
import { createHilNetworking, type HilNetworking } from './networking.js';
import { createHilNetworks, type HilNetworks } from './networks.js';
import { createHilNodes, type HilNodes } from './nodes.js';
import { createHilObm, type HilObm } from './obm-power.js';
import { createHilProjects, type HilProjects } from './projects.js';
import { createHilSwitches, type HilSwitches } from './switches.js';
import { createHilExtensions, createHilUsers, type HilExtensions, type HilUsers } from './users.js';

/**
 * A typed client for HIL v0: every call a tenant or an admin makes, grouped by resource. Names
 * HIL's tools would refuse are refused before any request; HIL's `{type, msg}` errors become
 * `OcxError`s that keep HIL's type name in `backendErrorType`.
 */
export interface HilClient {
  readonly projects: HilProjects;
  readonly nodes: HilNodes;
  /** connect_network / detach_network (waited on) and networking-action status. */
  readonly networking: HilNetworking;
  readonly networks: HilNetworks;
  /** OBM on/off, power and boot device (followed through HIL's 307 to OBMd), console. */
  readonly obm: HilObm;
  readonly switches: HilSwitches;
  /** Basic-auth users (HIL's database auth backend). */
  readonly users: HilUsers;
  readonly extensions: HilExtensions;
  /** Release the client's connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Create a HIL client. Options are parsed at once; a bad option is an `OcxError` (`validation`)
 * naming its path.
 *
 * @example
 * ```ts
 * const hil = createHilClient({ endpoint: 'https://hil.example', auth: { username: 'alice', password: Secret.from(pw) } });
 * await hil.projects.connectNode('genomics', 'node-07');
 * await hil.networking.connectNetwork({ node: 'node-07', nic: 'eth0', network: 'genomics-net' }); // waits until DONE
 * ```
 */
export function createHilClient(options: HilClientOptions): HilClient {
  const transport = createHilTransport(parseHilClientOptions(options));
  let closed = false;
  return {
    projects: createHilProjects(transport),
    nodes: createHilNodes(transport),
    networking: createHilNetworking(transport),
    networks: createHilNetworks(transport),
    obm: createHilObm(transport),
    switches: createHilSwitches(transport),
    users: createHilUsers(transport),
    extensions: createHilExtensions(transport),
    async close() {
      if (closed) return;
      closed = true;
      await transport.close();
    },
  };
}
