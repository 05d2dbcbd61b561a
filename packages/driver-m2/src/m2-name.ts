import { z } from 'zod';

/**
 * A name M2 accepts for a project, node, NIC, image, disk or snapshot: 1–255 characters without
 * control characters, `/`, `?`, `#` or `%`. M2 pastes node and project names into the HIL URLs it
 * builds without escaping them, so those characters would send it to the wrong HIL path.
 */
export const M2NameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(/^[^\p{Cc}/?#%]+$/u, 'must not contain control characters, "/", "?", "#" or "%"');
