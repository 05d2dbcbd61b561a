export { REDACTED, forgetSecret, isSecretKey, redactText, redactValue, registerSecret } from './redact.js';
export { Secret, revealSecret } from './secret.js';
