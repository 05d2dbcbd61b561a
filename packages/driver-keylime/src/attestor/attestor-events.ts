import type { AttestationVerdict } from '@ocx/core';

/** A once-trusted agent failed: Keylime revoked its trust. */
export interface RevocationEvent {
  agent: string;
  /** Keylime's state name, e.g. `Invalid Quote`. */
  state: string;
  /** Why, in Keylime's words (state, failure event, severity). */
  reason: string;
  /** When the watch saw it (ISO 8601). */
  at: string;
}

/** Events of the Keylime attestor, on `driver.ext.events`. */
export interface KeylimeAttestorEvents {
  /** A watched agent's verdict changed (the first observation counts as a change). */
  'attestation.changed': AttestationVerdict & { previous: AttestationVerdict['status'] | undefined };
  /** A watched agent that had passed now fails. Emitted the moment the watch sees it. */
  'attestation.revoked': RevocationEvent;
}
