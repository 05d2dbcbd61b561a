import { OcxError, systemClock } from '@ocx/core';
import { waitFor } from '@ocx/core/http';
import { encodeSegment } from '../names.js';
import { type NetworkingAction, NetworkingActionSchema } from './hil-schemas.js';
import { HIL_BACKEND, type HilTransport } from './hil-transport.js';

/** The backend error type of a networking action that ended in ERROR. */
export const NETWORKING_ACTION_ERROR_TYPE = 'NetworkingActionError';

/** Options of {@link waitForNetworkingAction}. */
export interface WaitForActionOptions {
  signal?: AbortSignal;
  /**
   * HIL deletes a finished action when the next one on its NIC is queued, so its id may answer 404
   * before this client saw it finish. Then `verify.applied` reads the node to tell whether the
   * change happened (DONE, reported as `verify.action`) or not (ERROR). Without it a vanished
   * action is a `not-found` error.
   */
  verify?: {
    action: Omit<NetworkingAction, 'status'>;
    applied(signal?: AbortSignal): Promise<boolean>;
  };
  /** What the action does, for messages, e.g. `connect eth0 of n1 to net1`. */
  what?: string;
}

/**
 * Poll `GET /networking_action/{id}` until the action is DONE (resolving with it) or ERROR
 * (rejecting with code `state` and backend error type `NetworkingActionError`), backing off
 * between the client's `actionPollMs` and `actionMaxPollMs`; `timeout` after `actionTimeoutMs`.
 */
export async function waitForNetworkingAction(
  transport: HilTransport,
  statusId: string,
  options: WaitForActionOptions = {},
): Promise<NetworkingAction> {
  const { actionPollMs, actionMaxPollMs, actionTimeoutMs, clock } = transport.options;
  const what = options.what ?? `networking action ${statusId}`;
  let vanished = false;
  const path = `networking_action/${encodeSegment(statusId)}`;

  // The daemon needs some time; polling at once would only ever see PENDING.
  await (clock ?? systemClock).sleep(actionPollMs, options.signal).catch(() => undefined);
  const result = await waitFor<NetworkingAction>({
    minDelayMs: actionPollMs,
    maxDelayMs: actionMaxPollMs,
    maxWaitMs: actionTimeoutMs,
    signal: options.signal,
    clock,
    async check(_attempt, signal) {
      let action: NetworkingAction;
      try {
        action = await transport.json('show_networking_action', 'GET', path, NetworkingActionSchema, { signal });
      } catch (error) {
        if (!(OcxError.is(error) && error.code === 'not-found' && options.verify !== undefined)) throw error;
        vanished = true;
        const applied = await options.verify.applied(signal);
        const value: NetworkingAction = { ...options.verify.action, status: applied ? 'DONE' : 'ERROR' };
        return {
          state: applied ? 'success' : 'failure',
          value,
          reason: 'the action was replaced by a newer one on its NIC',
        };
      }
      if (action.status === 'PENDING') return { state: 'retry', value: action, reason: 'still PENDING' };
      return {
        state: action.status === 'DONE' ? 'success' : 'failure',
        value: action,
        reason: `ended in ${action.status}`,
      };
    },
  });

  switch (result.state) {
    case 'SUCCESS':
      return result.value!;
    case 'FAILURE':
      throw new OcxError({
        code: 'state',
        backend: HIL_BACKEND,
        operation: 'show_networking_action',
        backendErrorType: NETWORKING_ACTION_ERROR_TYPE,
        backendMessage: `networking action ${statusId} ended in ERROR`,
        fault: 'server',
        message: `${HIL_BACKEND}: ${what} failed: networking action ${statusId} ended in ERROR (the switch did not apply it)${vanished ? '; it was replaced by a newer action before it was seen' : ''}`,
      });
    case 'TIMEOUT':
      throw new OcxError({
        code: 'timeout',
        retryable: true,
        backend: HIL_BACKEND,
        operation: 'show_networking_action',
        message: `${HIL_BACKEND}: ${what} did not finish: networking action ${statusId} still PENDING after ${result.elapsedMs} ms`,
      });
    case 'ABORTED':
      throw new OcxError({
        code: 'aborted',
        backend: HIL_BACKEND,
        operation: 'show_networking_action',
        message: `${HIL_BACKEND}: waiting for ${what} (networking action ${statusId}) was aborted; the action itself may still be applied`,
        cause: options.signal?.reason,
      });
  }
}
