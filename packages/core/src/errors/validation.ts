import type { z } from 'zod';
import { type FieldIssue, OcxError } from './ocx-error.js';

/** Turn a zod error into field issues with dotted paths. */
export function zodIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return { path, message: issue.message };
  });
}

/** Build the validation error for one zod failure. The message names every bad field. */
export function validationError(
  error: z.ZodError,
  context: { what: string; backend?: string; operation?: string; prefix?: string },
): OcxError {
  const issues = zodIssues(error, context.prefix);
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return new OcxError({
    code: 'validation',
    message: `Invalid ${context.what}: ${summary}${more}`,
    backend: context.backend,
    operation: context.operation,
    issues,
    fault: context.backend === undefined ? 'client' : 'server',
  });
}

/**
 * Parse `input` with `schema`, throwing an `OcxError` with code `validation` naming each bad
 * field. Use at every boundary: user input, options, backend responses.
 */
export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  context: { what: string; backend?: string; operation?: string; prefix?: string },
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, context);
  return result.data;
}
