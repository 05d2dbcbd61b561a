import type { BackendErrorDetails, ErrorResponseInfo } from '@ocx/core/http';

/**
 * M2's own messages and the exception class that words each (`ims/exception/*.py`), so callers
 * can tell, say, HIL being unreachable from M2 refusing a name.
 */
const KNOWN_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/^Couldnt connect to HIL$/, 'hil.ConnectionException'],
  [/^Authentication Failed$/, 'hil.AuthenticationFailedException'],
  [/^Authorization Failed$/, 'hil.AuthorizationFailedException'],
  [/^Got status code \d+ from HIL with message : /, 'hil.UnknownException'],
  [/ already exists$/, 'ImageExistsException'],
  // ims/exception/file_system_exceptions.py (Ceph), worded with capitals.
  [/ Already Exists$/, 'file_system.ImageExistsException'],
  [/ is Busy \(Could have Clones\)$/, 'file_system.ImageBusyException'],
  [/ has Snapshots$/, 'file_system.ImageHasSnapshotException'],
  [/ has clones, please deprovision before deleting$/, 'ImageHasClonesException'],
  [/ not found$/i, 'NotFoundException'],
  // An OSError that escaped an operation (a TFTP file already removed), reported as str(e).
  [/^\[Errno 2\] No such file or directory/, 'OSError.ENOENT'],
  [/^No Authentication Details Given$/, 'MissingCredentials'],
  [/^User Does Not Have Admin Role$/, 'AuthorizationFailedException'],
];

const HTML_START = /^\s*<(!doctype html|html|title)/i;

/**
 * Reads M2's error bodies: the exception's message as plain text (sent, like every Flask string,
 * as `text/html`), kept whole as the backend message with its class as the error type. Werkzeug's
 * own HTML pages (bad request, wrong method, crash) are left to the default parser, which takes
 * their title.
 */
export function parseM2Error(info: ErrorResponseInfo): BackendErrorDetails | undefined {
  const text = info.bodyText.trim();
  if (text === '' || HTML_START.test(text)) return undefined;
  const known = KNOWN_MESSAGES.find(([pattern]) => pattern.test(text));
  return known === undefined ? { message: text } : { message: text, type: known[1] };
}
