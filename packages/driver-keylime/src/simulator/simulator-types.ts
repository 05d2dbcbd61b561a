import type { StoredRuntimePolicy } from './runtime-policy-check.js';

/**
 * How a simulated agent answers the verifier's quote requests.
 *
 * - `pass`: every quote verifies.
 * - `{ invalidQuoteAt, reason }`: quotes verify until `invalidQuoteAt` ms after enrollment; the
 *   next one violates the policy and the agent goes to Invalid Quote. `reason` is the failure
 *   event id the verifier reports as `last_event_id` (default `pcr_validation.invalid_pcr_0`).
 * - `unreachable`: the agent never answers; the verifier retries (still showing Get Quote, as the
 *   real one does) and, after `maxRetries`, gives up with Failed.
 */
export type AgentOutcome = 'pass' | 'unreachable' | { invalidQuoteAt: number; reason?: string };

/** An agent the simulated registrar knows. */
export interface SimulatedAgentOptions {
  /** The agent's UUID (any Keylime agent id). */
  uuid: string;
  /** Default `pass`. */
  outcome?: AgentOutcome;
  /** Where the agent says it listens. Default `127.0.0.1` and 9002 + its position. */
  ip?: string;
  port?: number;
  /** An agent that registered but never activated is refused by the registrar (404). Default true. */
  active?: boolean;
}

/** What the simulated registrar holds for one agent (the fields of its GET answer, and `active`). */
export interface RegistrarRecord {
  aik_tpm: string;
  ek_tpm: string;
  ekcert: string | null;
  mtls_cert: string | null;
  ip: string | null;
  port: number | null;
  regcount: number;
  active: boolean;
}

/**
 * The verifier's polling loop for one agent: its in-memory agent dict. Keylime writes this dict to
 * the database only at the start of each `process_agent` step, so the stored state lags it.
 */
export interface PollingLoop {
  /** `agent["operational_state"]` in memory. */
  state: number;
  numRetries: number;
  /** `provide_V`: deliver V after the next good quote. */
  provideV: boolean;
  /** The severity this loop has recorded; a fresh loop starts without one, even if the row has one. */
  severity: number | null;
}

/** What the simulated verifier holds for one enrolled agent (a VerfierMain row and its loop). */
export interface VerifierRecord {
  agentId: string;
  /** The stored `operational_state`: what GET reports. */
  operationalState: number;
  /** Every stored state since enrollment, in order (a repeated state once). */
  history: number[];
  /** Fields stored as the POST body gave them (the verifier does not check their types). */
  v: unknown;
  ip: unknown;
  port: number;
  tpmPolicy: unknown;
  metadata: unknown;
  acceptTpmHashAlgs: unknown;
  acceptTpmEncryptionAlgs: unknown;
  acceptTpmSigningAlgs: unknown;
  supportedVersion: unknown;
  akTpm: unknown;
  mtlsCert: unknown;
  /** `verifier_ip` / `verifier_port` from the body when given; otherwise the verifier's own. */
  verifierIp: unknown;
  verifierPort: unknown;
  /** The VerifierAllowlist and VerifierMbpolicy rows the agent is attached to, by name. */
  runtimePolicyName: string;
  mbPolicyName: string;
  hashAlg: string;
  encAlg: string;
  signAlg: string;
  severityLevel: number | null;
  lastEventId: string | null;
  attestationCount: number;
  lastReceivedQuote: number;
  lastSuccessfulAttestation: number;
  /** Whether the verifier has cached the agent's public key (`public_key`). */
  publicKeyKnown: boolean;
  /** When the agent was enrolled, in ms since the epoch. */
  enrolledAt: number;
  /** The running polling loop, or null when the verifier does not poll the agent. */
  loop: PollingLoop | null;
}

/** Everything the simulator holds; tests read it to prove a fault changed nothing. */
export interface SimulatorState {
  readonly registrar: Map<string, RegistrarRecord>;
  readonly verifier: Map<string, VerifierRecord>;
  /** Runtime policies (VerifierAllowlist) by name, including those named after an agent. */
  readonly runtimePolicies: Map<string, StoredRuntimePolicy>;
  /** Measured-boot policies (VerifierMbpolicy) by name: the text as sent, or null (none). */
  readonly mbPolicies: Map<string, string | null>;
  /** Scripted outcomes by agent id; an agent without one is unreachable. */
  readonly outcomes: Map<string, AgentOutcome>;
}
