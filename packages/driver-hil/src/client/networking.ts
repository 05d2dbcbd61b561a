import { type CallOptions, OcxError } from '@ocx/core';
import { z } from 'zod';
import { checkHilName, encodeSegment, HilChannelSchema, HilNameSchema } from '../names.js';
import { waitForNetworkingAction } from './action-waiter.js';
import {
  HilNodeSchema,
  type NetworkingAction,
  NetworkingActionSchema,
  type NetworkingActionStatus,
  StatusIdSchema,
} from './hil-schemas.js';
import { HIL_BACKEND, type HilTransport } from './hil-transport.js';

/** Options of a networking call. */
export interface NetworkingCallOptions extends CallOptions {
  /** Wait until the action is DONE (default true). With false, resolve once HIL has queued it. */
  wait?: boolean;
}

/** A queued networking action: its id and the last status seen (`DONE` when waited on). */
export interface NetworkingActionHandle {
  statusId: string;
  status: NetworkingActionStatus;
}

/** HIL's asynchronous networking calls (202 + `status_id`) and their status. */
export interface HilNetworking {
  /**
   * `POST /node/{n}/nic/{nic}/connect_network`; leave `channel` out for HIL's default
   * (`vlan/native`). Waits until DONE; ERROR rejects with code `state`.
   */
  connectNetwork(
    input: { node: string; nic: string; network: string; channel?: string },
    options?: NetworkingCallOptions,
  ): Promise<NetworkingActionHandle>;
  /** `POST /node/{n}/nic/{nic}/detach_network`. Waits until DONE; ERROR rejects with code `state`. */
  detachNetwork(
    input: { node: string; nic: string; network: string },
    options?: NetworkingCallOptions,
  ): Promise<NetworkingActionHandle>;
  /** `GET /networking_action/{id}`; a finished action is deleted when the next one on its NIC is queued. */
  showAction(statusId: string, options?: CallOptions): Promise<NetworkingAction>;
  /** Poll an action until DONE (resolves) or ERROR (rejects with code `state`). */
  waitForAction(statusId: string, options?: CallOptions): Promise<NetworkingAction>;
}

const ConnectInputSchema = z.object({
  node: HilNameSchema,
  nic: HilNameSchema,
  network: HilNameSchema,
  channel: HilChannelSchema.optional(),
});
const DetachInputSchema = z.object({ node: HilNameSchema, nic: HilNameSchema, network: HilNameSchema });
const StatusIdInputSchema = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9-]+$/, 'must be a status id as HIL returns it');

/** Wait for a promise, but stop waiting (without cancelling it) when the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, operation: string): Promise<T> {
  if (signal === undefined) return promise;
  const aborted = (): OcxError =>
    new OcxError({
      code: 'aborted',
      backend: HIL_BACKEND,
      operation,
      message: `${HIL_BACKEND}: ${operation} was aborted`,
      cause: signal.reason,
    });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Build the networking calls. HIL allows one pending action per NIC (a second one is a 409), so
 * calls on the same NIC through this client run one after another: each waits until the NIC's
 * previous action has finished before queuing its own.
 */
export function createHilNetworking(transport: HilTransport): HilNetworking {
  /** NIC key → a promise that settles when the NIC's last queued action has finished. */
  const nicTails = new Map<string, Promise<void>>();

  const onNic = async (
    key: string,
    operation: string,
    options: NetworkingCallOptions | undefined,
    queue: () => Promise<string>,
    wait: (statusId: string, signal?: AbortSignal) => Promise<NetworkingAction>,
  ): Promise<NetworkingActionHandle> => {
    const previous = nicTails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    nicTails.set(key, tail);
    void tail.then(() => {
      if (nicTails.get(key) === tail) nicTails.delete(key);
    });
    let released = false;
    const releaseOnce = (): void => {
      if (released) return;
      released = true;
      // `release` is assigned once `previous` settled; until then, chain the release onto it.
      void previous.then(() => release());
    };
    try {
      await untilAborted(previous, options?.signal, operation);
      const statusId = await queue();
      if (options?.wait === false) {
        // Keep the NIC busy for this client until HIL has finished the action.
        wait(statusId).then(releaseOnce, releaseOnce);
        return { statusId, status: 'PENDING' };
      }
      try {
        const action = await wait(statusId, options?.signal);
        return { statusId, status: action.status };
      } finally {
        releaseOnce();
      }
    } catch (error) {
      releaseOnce();
      throw error;
    }
  };

  const nodeShows = async (
    node: string,
    nic: string,
    attached: (networks: Record<string, string>) => boolean,
    signal?: AbortSignal,
  ) => {
    const shown = await transport.json('show_node', 'GET', `node/${encodeSegment(node)}`, HilNodeSchema, { signal });
    return attached(shown.nics.find((item) => item.label === nic)?.networks ?? {});
  };

  return {
    async connectNetwork(input, options) {
      const operation = 'node_connect_network';
      const { node, nic, network, channel } = checkHilName(ConnectInputSchema, input, '', operation);
      const path = `node/${encodeSegment(node)}/nic/${encodeSegment(nic)}/connect_network`;
      // HIL's default channel is asked for by leaving the field out: null and "" are both refused.
      const json = channel === undefined ? { network } : { network, channel };
      return onNic(
        `${node}\u0000${nic}`,
        operation,
        options,
        async () =>
          (await transport.json(operation, 'POST', path, StatusIdSchema, { json, signal: options?.signal })).status_id,
        (statusId, signal) =>
          waitForNetworkingAction(transport, statusId, {
            signal,
            what: `connecting ${nic} of ${node} to ${network}`,
            verify: {
              action: { node, nic, type: 'modify_port', channel: channel ?? 'vlan/native', new_network: network },
              applied: (verifySignal) =>
                nodeShows(node, nic, (networks) => Object.values(networks).includes(network), verifySignal),
            },
          }),
      );
    },
    async detachNetwork(input, options) {
      const operation = 'node_detach_network';
      const { node, nic, network } = checkHilName(DetachInputSchema, input, '', operation);
      const path = `node/${encodeSegment(node)}/nic/${encodeSegment(nic)}/detach_network`;
      return onNic(
        `${node}\u0000${nic}`,
        operation,
        options,
        async () =>
          (
            await transport.json(operation, 'POST', path, StatusIdSchema, {
              json: { network },
              signal: options?.signal,
            })
          ).status_id,
        (statusId, signal) =>
          waitForNetworkingAction(transport, statusId, {
            signal,
            what: `detaching ${nic} of ${node} from ${network}`,
            verify: {
              action: { node, nic, type: 'modify_port', channel: '', new_network: null },
              applied: (verifySignal) =>
                nodeShows(node, nic, (networks) => !Object.values(networks).includes(network), verifySignal),
            },
          }),
      );
    },
    async showAction(statusId, options) {
      const id = checkHilName(StatusIdInputSchema, statusId, 'statusId', 'show_networking_action');
      return transport.json(
        'show_networking_action',
        'GET',
        `networking_action/${encodeSegment(id)}`,
        NetworkingActionSchema,
        options,
      );
    },
    async waitForAction(statusId, options) {
      const id = checkHilName(StatusIdInputSchema, statusId, 'statusId', 'show_networking_action');
      return waitForNetworkingAction(transport, id, { signal: options?.signal });
    },
  };
}
