export { forgetSecret, isSecretKey, REDACTED, redactText, redactValue, registerSecret } from './redact.js';
export { revealSecret, Secret } from './secret.js';
