export { OcxError, isRetryableError } from './ocx-error.js';
export type { OcxErrorCode, OcxErrorOptions, FieldIssue } from './ocx-error.js';
export { parseWith, validationError, zodIssues } from './validation.js';
