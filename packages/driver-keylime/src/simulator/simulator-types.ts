/**
 * How a simulated agent answers the verifier's quote requests.
 *
 * - `pass`: every quote verifies.
 * - `{ invalidQuoteAt, reason }`: quotes verify until `invalidQuoteAt` ms after enrollment; the
 *   next one violates the policy and the agent goes to Invalid Quote. `reason` is the failure
 *   event id the verifier reports as `last_event_id` (default `pcr_validation.invalid_pcr_0`).
 * - `unreachable`: the agent never answers; the verifier retries (Get Quote (retry)) and, after
 *   `maxRetries`, gives up with Failed.
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

/** What the simulated registrar holds for one agent (the fields of its GET answer). */
export interface RegistrarRecord {
  aik_tpm: string;
  ek_tpm: string;
  ekcert: string;
  mtls_cert: string;
  ip: string;
  port: number;
  regcount: number;
  active: boolean;
}

/** What the simulated verifier holds for one enrolled agent. */
export interface VerifierRecord {
  agentId: string;
  operationalState: number;
  /** Every state the agent went through since enrollment, in order (a repeated state once). */
  history: number[];
  v: string | null;
  ip: string;
  port: number;
  tpmPolicy: string;
  metadata: string;
  acceptTpmHashAlgs: string[];
  acceptTpmEncryptionAlgs: string[];
  acceptTpmSigningAlgs: string[];
  supportedVersion: string;
  akTpm: string;
  mtlsCert: string | null;
  runtimePolicyName: string;
  /** The name of the stored runtime policy was the agent's own id (deleted with it). */
  ownsRuntimePolicy: boolean;
  mbPolicyName: string | null;
  ownsMbPolicy: boolean;
  hasRuntimePolicy: boolean;
  hashAlg: string;
  encAlg: string;
  signAlg: string;
  severityLevel: number | null;
  lastEventId: string | null;
  attestationCount: number;
  lastReceivedQuote: number;
  lastSuccessfulAttestation: number;
  numRetries: number;
  /** Whether V has been delivered since the last (re)start. */
  providedV: boolean;
  /** When the agent was enrolled, in ms since the epoch. */
  enrolledAt: number;
}

/** Everything the simulator holds; tests read it to prove a fault changed nothing. */
export interface SimulatorState {
  readonly registrar: Map<string, RegistrarRecord>;
  readonly verifier: Map<string, VerifierRecord>;
  /** Runtime policies by name: the stored policy as JSON text, and its TPM policy. */
  readonly runtimePolicies: Map<string, { runtimePolicy: string; tpmPolicy: string | null }>;
  /** Measured-boot policies by name, as JSON text. */
  readonly mbPolicies: Map<string, string>;
  /** Scripted outcomes by agent id; an agent without one is unreachable. */
  readonly outcomes: Map<string, AgentOutcome>;
}
