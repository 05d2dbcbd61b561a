import type { IncomingMessage } from 'node:http';
import type { Principal } from './auth.js';
import type { CallSchema } from './request-schema.js';
import type { SimAction, SimNode, SimState } from './state.js';

/** What the routes may ask of the rest of the simulator. */
export interface SimServices {
  readonly state: SimState;
  /** Queue a networking action on a NIC (deleting the NIC's finished one) and arm its timer. */
  queueAction(input: Omit<SimAction, 'id' | 'status' | 'sequence'>): SimAction;
  /** Ask the node's OBMd for a token, as HIL does when OBM is enabled; throws OBMError on failure. */
  obmdRequestToken(node: SimNode): Promise<string>;
  /** Give the token back, as HIL does when OBM is disabled; throws OBMError on failure. */
  obmdReleaseToken(node: SimNode): Promise<void>;
  /** Hand a node just detached from a project to the maintenance pool; false when there is none. */
  maintain(project: string, node: SimNode): boolean;
  /** The maintenance project, when a maintenance pool is configured. */
  readonly maintenanceProject: string | undefined;
  /** The auth extension's module, listed by `/active_extensions`. */
  readonly authExtension: string;
}

/** One call to a route, after validation and authentication. */
export interface RouteCall {
  /** Path, body and query arguments merged, as HIL passes them to the API function. */
  args: Record<string, unknown>;
  principal: Principal;
  request: IncomingMessage;
  services: SimServices;
}

/**
 * What a route answers: nothing (200, empty), a JSON body and status, or a 307 to OBMd. `sortKeys`
 * marks the calls where HIL passes `sort_keys=True` to `json.dumps`; the others keep Python 2's
 * dict order.
 */
export type RouteResult = undefined | { body?: unknown; status?: number; sortKeys?: boolean } | { redirect: string };

/** One REST call of HIL, declared like `@rest_call(method, path, schema)` in hil/api.py. */
export interface HilRoute {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';
  /** Flask-style path under `/v0`: `<name>` is one segment, `<path:name>` may span several. */
  path: string;
  schema: CallSchema;
  handler(call: RouteCall): RouteResult | Promise<RouteResult>;
}

/** Read a string argument the schema has already checked. */
export function text(call: RouteCall, name: string): string {
  return call.args[name] as string;
}
