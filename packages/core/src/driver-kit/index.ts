/**
 * The helpers a driver needs at the top and bottom of every method, public so that a landlord
 * writing a driver can use what the reference landlord uses: check input with the capability's
 * schema before calling the backend (a `validation` error naming the field, nothing sent), honour
 * an aborted signal, build `not-found` and `conflict` errors, turn a 404 into `undefined` in a
 * getter, and page through and wait on a backend (re-exported from `@ocx/core/http`).
 *
 * @example
 * ```ts
 * import { TenantProjectSchema } from '@ocx/core';
 * import { checkInput, checkSignal, undefinedIfNotFound } from '@ocx/core/driver-kit';
 *
 * async ensureProject(input, options) {
 *   const project = checkInput(TenantProjectSchema, input, 'ensureProject');
 *   checkSignal(options, 'ensureProject', 'my-backend');
 *   …
 * },
 * getProject: (id, options) => undefinedIfNotFound(http.get(`/projects/${id}`, { schema, signal: options?.signal })),
 * ```
 *
 * @packageDocumentation
 */
export { markerPages, pageNumberPages, paginate } from '../http/paginate.js';
export { waitFor, waitForOrThrow } from '../http/wait-for.js';
export { checkInput, checkSignal, conflict, NameSchema, notFound, undefinedIfNotFound } from './checks.js';
