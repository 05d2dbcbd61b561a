import { OcxError } from '@ocx/core';
import { z } from 'zod';

/** Swift's own cap on one listing page (`container_listing_limit`). */
export const MAX_LISTING_LIMIT = 10_000;

const NameSchema = z.string().max(1024, 'must be at most 1024 characters');

/** The listing parameters the proxy understands, as Swift spells them. */
const ListingQuerySchema = z
  .object({
    limit: z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .refine((value) => value <= MAX_LISTING_LIMIT, `must be at most ${MAX_LISTING_LIMIT}`)
      .optional(),
    marker: NameSchema.optional(),
    end_marker: NameSchema.optional(),
    prefix: NameSchema.optional(),
    delimiter: z.string().length(1, 'must be one character').optional(),
    format: z.enum(['json', 'plain', 'ocx']).optional(),
    // Merging in reverse would need every backend's reverse order too; refused rather than half done.
    reverse: z
      .enum(['false', 'no', '0', 'off'], { message: 'reverse listings are not supported by the proxy' })
      .optional(),
  })
  .strip();

/** A parsed listing request: what to ask every backend, and how to answer. */
export interface ListingQuery {
  limit: number;
  marker?: string;
  endMarker?: string;
  prefix?: string;
  delimiter?: string;
  /** `plain` (Swift's default), `json` (Swift's array), or `ocx` (an envelope with the partial-result fields). */
  format: 'plain' | 'json' | 'ocx';
}

/**
 * Read a listing's query string. A bad parameter is an `OcxError` with code `validation` naming it
 * (the proxy answers 400). `Accept: application/json` selects JSON as Swift does.
 */
export function parseListingQuery(search: URLSearchParams, accept: string | undefined): ListingQuery {
  const raw = Object.fromEntries([...search.keys()].map((key) => [key, search.get(key) ?? '']));
  const result = ListingQuerySchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new OcxError({
      code: 'validation',
      message: `Invalid listing query: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
      fault: 'client',
    });
  }
  const query = result.data;
  const format = query.format ?? (accept?.includes('application/json') ? 'json' : 'plain');
  return {
    limit: query.limit ?? MAX_LISTING_LIMIT,
    format,
    ...(query.marker ? { marker: query.marker } : {}),
    ...(query.end_marker ? { endMarker: query.end_marker } : {}),
    ...(query.prefix ? { prefix: query.prefix } : {}),
    ...(query.delimiter ? { delimiter: query.delimiter } : {}),
  };
}
