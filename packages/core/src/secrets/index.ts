export {
  forgetSecret,
  isSecretKey,
  REDACTED,
  redactText,
  redactValue,
  registerSecret,
  SECRET_HEADERS,
  SECRET_QUERY_PARAMETERS,
} from './redact.js';
export { revealSecret, Secret } from './secret.js';
