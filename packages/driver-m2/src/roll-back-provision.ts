import { OcxError } from '@ocx/core';
import type { M2Client } from './client.js';

/**
 * True when a failed call may still have taken effect in M2: no answer was read (timeout, reset,
 * abort in flight) or the answer was not M2's. A call M2 answered with an error status did not.
 */
export function mayHaveTakenEffect(error: unknown): boolean {
  if (!OcxError.is(error)) return true;
  if (error.code === 'validation' && error.backend === undefined) return false;
  return error.status === undefined || error.code === 'protocol' || error.code === 'validation';
}

/** True for M2's 404 about `name` itself, false for one about the project (which must not pass as "already gone"). */
export function isNotFoundOf(error: unknown, project: string, name: string): boolean {
  if (!OcxError.is(error) || error.code !== 'not-found') return false;
  return name === project || error.backendMessage !== `${project} not found`;
}

/**
 * True for `deprovision` failing because a boot file is gone already: M2 removes the node's TFTP
 * files with `os.remove`, and an OSError escaping an operation is answered 500 with `str(e)`
 * (ims/rpc/server/rpc_server.py), "[Errno 2] No such file or directory: '<path>'". For a
 * deprovision that is the goal reached, as the simulator's 404 is.
 */
export function isBootFileGone(error: unknown): boolean {
  return OcxError.is(error) && error.status === 500 && error.backendErrorType === 'OSError.ENOENT';
}

/** What rolling back a half-done provision did, for the error the caller gets. */
export interface RollbackReport {
  /** Sentences saying what was undone or kept. */
  done: string[];
  /** Sentences saying what is left behind and why. */
  leftBehind: string[];
}

/**
 * Undo what a failed provision made, without the caller's signal: an aborted call must still
 * clean up. Boot files are removed first (only when the failed `provision` call may have written
 * them), then the disk, if this call created it.
 */
export async function rollBackProvision(
  client: M2Client,
  target: { project: string; node: string; nic: string; disk: string },
  what: { bootFilesMayExist: boolean; diskCreatedHere: boolean },
): Promise<RollbackReport> {
  const report: RollbackReport = { done: [], leftBehind: [] };
  const { project, node, nic, disk } = target;
  if (what.bootFilesMayExist) {
    try {
      await client.deprovision({ project, node, nic });
      report.done.push(`the boot files of node ${node} were removed`);
    } catch (error) {
      if (!isNotFoundOf(error, project, node) && !isBootFileGone(error)) {
        report.leftBehind.push(`node ${node} may still network-boot disk ${disk} (${reason(error)})`);
      }
    }
  }
  if (!what.diskCreatedHere) {
    report.done.push(`disk ${disk} existed before this call and was kept`);
    return report;
  }
  if (report.leftBehind.length > 0) {
    // Deleting a disk a node may still boot would break the node in a worse way than keeping it.
    report.leftBehind.push(`disk ${disk} was kept because node ${node} may still boot it`);
    return report;
  }
  try {
    await client.deleteDisk({ project, disk });
    report.done.push(`disk ${disk} was deleted`);
  } catch (error) {
    if (isNotFoundOf(error, project, disk)) report.done.push(`disk ${disk} was already gone`);
    else report.leftBehind.push(`disk ${disk} could not be deleted (${reason(error)})`);
  }
  return report;
}

/**
 * The provision error the caller gets: the failure's own code, status and backend fields, with a
 * message that says what was rolled back and what is left, and how to clean it up.
 */
export function provisionFailure(failure: unknown, step: string, report: RollbackReport): OcxError {
  const base = OcxError.is(failure)
    ? failure
    : new OcxError({
        code: 'internal',
        message: `m2: ${step} failed unexpectedly: ${String(failure)}`,
        cause: failure,
      });
  const done = report.done.length === 0 ? '' : ` Rolled back: ${report.done.join('; ')}.`;
  const left =
    report.leftBehind.length === 0
      ? ''
      : ` Left behind: ${report.leftBehind.join('; ')}. Call deprovision with the same node, NIC and disk to remove them.`;
  return new OcxError({
    code: base.code,
    retryable: base.retryable,
    backend: base.backend ?? 'm2',
    operation: base.operation ?? step,
    status: base.status,
    requestId: base.requestId,
    attempts: base.attempts,
    totalRetryDelayMs: base.totalRetryDelayMs,
    backendErrorType: base.backendErrorType,
    backendMessage: base.backendMessage,
    issues: base.issues,
    fault: base.fault,
    message: `provision failed at ${step}: ${base.message.replace(/\.$/, '')}.${done}${left}`,
    cause: base,
  });
}

function reason(error: unknown): string {
  return OcxError.is(error) ? `${error.code}: ${error.message}` : String(error);
}
