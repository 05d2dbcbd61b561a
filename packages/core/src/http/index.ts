/**
 * `@ocx/core/http`: the one HTTP layer every driver uses — undici, timeouts, retries, auth
 * plug-ins, response validation, error mapping, secret redaction, paginators and waiters.
 * @packageDocumentation
 */

// auth plug-ins
export type { AuthContext, AuthPlugin, AuthRequest } from './auth/auth-plugin.js';
export type { BasicAuthOptions } from './auth/basic-auth.js';
export { basicAuth } from './auth/basic-auth.js';
export type { BearerToken, BearerTokenOptions } from './auth/bearer-token.js';
export { bearerToken } from './auth/bearer-token.js';
export type { MutualTlsOptions } from './auth/mutual-tls.js';
export { mutualTls } from './auth/mutual-tls.js';
export type { RequestSignFunction } from './auth/request-signer.js';
export { requestSigner } from './auth/request-signer.js';
export type { BackendErrorDetails, ErrorParser, ErrorResponseInfo } from './backend-error.js';
export { capText, htmlTitle, MAX_ERROR_BODY_CHARS, parseBackendError } from './backend-error.js';
export type { HttpClientOptions } from './client-options.js';
// client
export { createHttpClient } from './http-client.js';
export type { HeaderLink, LinkPagesOptions, NextLinkPagesOptions } from './link-pages.js';
export { linkHeaderPages, nextLinkFromHeader, nextLinkPages, parseLinkHeader } from './link-pages.js';
export type { HttpErrorContext, HttpFailure } from './map-http-error.js';
// errors
export { DEFAULT_REQUEST_ID_HEADERS, describeHttpFailure, mapHttpError, requestIdFrom } from './map-http-error.js';
export type {
  MarkerPagesOptions,
  NumberedPage,
  Page,
  PageNumberPagesOptions,
  PaginateOptions,
  PaginationOptions,
} from './paginate.js';
// paginators
export { markerPages, pageNumberPages, paginate } from './paginate.js';
export type {
  HttpCallOptions,
  HttpClient,
  HttpHeaders,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  HttpShortcut,
  ResponseData,
  ResponseType,
} from './request-types.js';
export type { RetryOptions } from './retry-policy.js';
// retries
export { backoffDelay, defaultRetryOptions, isIdempotentMethod, parseRetryAfter, retryDelay } from './retry-policy.js';
export type { Query, QueryValue } from './url.js';
export type { WaitCheckResult, WaitForOptions, WaitForOrThrowOptions, WaitResult } from './wait-for.js';
// waiters
export { waitFor, waitForOrThrow } from './wait-for.js';
