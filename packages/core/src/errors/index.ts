export type { FieldIssue, OcxErrorCode, OcxErrorOptions } from './ocx-error.js';
export { isRetryableError, OcxError } from './ocx-error.js';
export { parseWith, validationError, zodIssues } from './validation.js';
