import { randomUUID } from 'node:crypto';
import type { SimAction, SimNic, SimState } from './state.js';

/** Which queued actions a switch failure hits; absent fields match every action. */
export interface ActionFailureMatch {
  node?: string;
  nic?: string;
  /** How many matching actions end in ERROR (default 1). */
  times?: number;
}

/** The networking daemon (`hil-admin serve-networks`) of the simulator. */
export interface ActionQueue {
  queue(input: Omit<SimAction, 'id' | 'status' | 'sequence'>): SimAction;
  /** Make the next matching action(s) end in ERROR, as a switch that refuses the change would. */
  failNext(match?: ActionFailureMatch): void;
  /** Hold every action PENDING until {@link ActionQueue.resume}. */
  pause(): void;
  /** Apply the actions held while paused (after the apply delay) and apply new ones again. */
  resume(): void;
  /** Cancel every timer. */
  close(): void;
}

interface ArmedFailure {
  match: ActionFailureMatch;
  remaining: number;
}

/**
 * Queue networking actions and apply each `delayMs` after it was queued, in queue order:
 * PENDING → DONE (the attachment changed) or ERROR (nothing changed). Queuing an action on a NIC
 * deletes the NIC's previous, finished action, so its id then answers 404 — as HIL does.
 */
export function createActionQueue(state: SimState, delayMs: number): ActionQueue {
  const timers = new Set<NodeJS.Timeout>();
  let failures: ArmedFailure[] = [];
  let paused = false;
  const held: SimAction[] = [];

  const findNic = (action: SimAction): SimNic | undefined =>
    state.nodes.get(action.node)?.nics.find((candidate) => candidate.label === action.nic);

  const takeFailure = (action: SimAction): boolean => {
    const index = failures.findIndex(
      ({ match }) =>
        (match.node === undefined || match.node === action.node) &&
        (match.nic === undefined || match.nic === action.nic),
    );
    if (index < 0) return false;
    const armed = failures[index]!;
    armed.remaining -= 1;
    if (armed.remaining <= 0) failures.splice(index, 1);
    return true;
  };

  const apply = (action: SimAction): void => {
    if (action.status !== 'PENDING' || !state.actions.has(action.id)) return;
    const nic = findNic(action);
    if (nic === undefined || nic.port === null || takeFailure(action)) {
      action.status = 'ERROR';
      return;
    }
    if (action.type === 'revert_port') nic.attachments.clear();
    else if (action.newNetwork === null) nic.attachments.delete(action.channel);
    else nic.attachments.set(action.channel, action.newNetwork);
    action.status = 'DONE';
  };

  const schedule = (action: SimAction): void => {
    if (paused) {
      held.push(action);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      apply(action);
    }, delayMs);
    timers.add(timer);
  };

  return {
    queue(input) {
      const nic = findNic({ ...input, id: '', status: 'PENDING', sequence: 0 });
      if (nic?.currentAction !== undefined) state.actions.delete(nic.currentAction);
      state.actionSequence += 1;
      const action: SimAction = { ...input, id: randomUUID(), status: 'PENDING', sequence: state.actionSequence };
      state.actions.set(action.id, action);
      if (nic !== undefined) nic.currentAction = action.id;
      schedule(action);
      return action;
    },
    failNext(match = {}) {
      failures.push({ match, remaining: match.times ?? 1 });
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const action of held.splice(0)) schedule(action);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      held.length = 0;
      failures = [];
    },
  };
}
