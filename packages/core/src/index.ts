/**
 * `@ocx/core`: the v1 driver specification, schemas, errors and the exchange runtime.
 * @packageDocumentation
 */
export { OcxError, isRetryableError, parseWith, validationError, zodIssues } from './errors/index.js';
export type { FieldIssue, OcxErrorCode, OcxErrorOptions } from './errors/index.js';
export { REDACTED, Secret, forgetSecret, isSecretKey, redactText, redactValue, registerSecret, revealSecret } from './secrets/index.js';
export { Decimal } from './money/index.js';
export type { DecimalString, RoundingMode } from './money/index.js';
export * from './spec/index.js';
export { consoleLogger, redactingLogger, silentLogger } from './runtime/logger.js';
export type { LogFields, Logger } from './runtime/logger.js';
export { ManualClock, systemClock } from './runtime/clock.js';
export type { Clock } from './runtime/clock.js';
