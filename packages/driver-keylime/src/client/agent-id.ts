import { parseWith } from '@ocx/core';
import { z } from 'zod';

/**
 * An agent id as Keylime accepts it (keylime/common/validators.py `valid_agent_id`: word
 * characters, `.` and `-`); usually a UUID. Checked before anything is sent, so a bad id never
 * reaches a URL.
 */
export const AgentIdSchema = z
  .string()
  .regex(/^[\w.-]+$/, 'must be letters, digits, "_", "." or "-" (a Keylime agent id)');

/**
 * A policy name: non-empty, of characters a URL carries as they are (letters, digits, `-`, `.`,
 * `_`, `~`). The verifier takes the name from the raw path without percent-decoding it, so any
 * other character would be stored (and listed) in its encoded form.
 */
export const PolicyNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^[A-Za-z0-9._~-]+$/, 'must be letters, digits, "-", ".", "_" or "~" (the verifier does not decode names)');

/** Check an agent id; a bad one is an `OcxError` (`validation`) naming `field`. */
export function checkAgentId(agent: unknown, field = 'agent', operation?: string): string {
  return parseWith(AgentIdSchema, agent, { what: 'agent id', prefix: field, operation });
}

/** Check a policy name; a bad one is an `OcxError` (`validation`) naming `field`. */
export function checkPolicyName(name: unknown, field = 'name', operation?: string): string {
  return parseWith(PolicyNameSchema, name, { what: 'policy name', prefix: field, operation });
}
