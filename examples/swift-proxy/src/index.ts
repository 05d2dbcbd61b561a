/**
 * `@ocx/example-swift-proxy`: a stateless HTTP proxy that presents several landlords' Swift
 * services as one account.
 * @packageDocumentation
 */

export type { MergedContainer } from './account-handler.js';
export { headAccount, listAccount } from './account-handler.js';
export { compareUtf8 } from './byte-order.js';
export type { MergedObject } from './container-handler.js';
export { headContainer, listContainer } from './container-handler.js';
export type { FanOutResult, Unavailable } from './fan-out.js';
export { fanOut } from './fan-out.js';
export type { ListingQuery } from './listing-query.js';
export { MAX_LISTING_LIMIT, parseListingQuery } from './listing-query.js';
export { mergeListings } from './merge-listing.js';
export type { SwiftLandlord, SwiftProxyOptions } from './proxy-options.js';
export { SwiftProxyOptionsSchema } from './proxy-options.js';
export type { ProxyResponse } from './proxy-response.js';
export { PARTIAL_HEADER } from './proxy-response.js';
export type { BackendListing, ContainerEntry, ObjectEntry, SwiftBackend } from './swift-backend.js';
export { createSwiftBackend } from './swift-backend.js';
export type { SwiftProxy } from './swift-proxy.js';
export { createSwiftProxy } from './swift-proxy.js';
export type { Usage } from './swift-usage.js';
export { ACCOUNT_USAGE_HEADERS, CONTAINER_USAGE_HEADERS, readUsage, sumUsage } from './swift-usage.js';
export { tempAuthToken } from './tempauth-token.js';
