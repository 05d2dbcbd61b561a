import { HilApiError } from '../api-error.js';
import type { CallSchema } from '../request-schema.js';
import { type HilRoute, type RouteCall, text } from '../route-types.js';
import { mustFindNode } from './lookup.js';

/**
 * A power or console call: HIL checks the node and the caller, then answers 307 to the node's
 * OBMd with the token it holds (hil/api.py `_obmd_redirect`). The client resends the same method
 * and body there.
 */
function redirectToObmd(method: HilRoute['method'], operation: string, schema: CallSchema): HilRoute {
  return {
    method,
    path: `/node/<node>/${operation}`,
    schema,
    handler(call: RouteCall) {
      const node = mustFindNode(call.services.state, text(call, 'node'));
      call.principal.requireProjectAccess(node.project);
      if (node.obmToken === undefined)
        throw new HilApiError('BlockedError', "The node's OBM is disabled; enable it first.");
      return { redirect: `${node.obmd.uri}/${operation}?token=${encodeURIComponent(node.obmToken)}` };
    },
  };
}

/** OBM and power: enabling OBM holds an OBMd token; power calls are redirected to OBMd. */
export const obmRoutes: HilRoute[] = [
  {
    method: 'PUT',
    path: '/node/<node>/obm',
    schema: { fields: { node: 'string', enabled: 'bool' } },
    async handler(call) {
      const node = mustFindNode(call.services.state, text(call, 'node'));
      call.principal.requireProjectAccess(node.project);
      const enabled = call.args.enabled as boolean;
      // Idempotent: enabling an enabled OBM (or disabling a disabled one) changes nothing.
      if (enabled && node.obmToken === undefined) {
        node.obmToken = await call.services.obmdRequestToken(node);
      } else if (!enabled && node.obmToken !== undefined) {
        await call.services.obmdReleaseToken(node);
        node.obmToken = undefined;
      }
      return undefined;
    },
  },
  redirectToObmd('POST', 'power_cycle', { fields: { node: 'string', force: 'bool?' } }),
  redirectToObmd('POST', 'power_on', { fields: { node: 'string' } }),
  redirectToObmd('POST', 'power_off', { fields: { node: 'string' } }),
  redirectToObmd('PUT', 'boot_device', { fields: { node: 'string', bootdev: 'string' } }),
  redirectToObmd('GET', 'power_status', { fields: { node: 'string' } }),
  redirectToObmd('GET', 'console', { fields: { node: 'string' } }),
];
