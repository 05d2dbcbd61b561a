/**
 * `@ocx/core/testing`: conformance suites and a loopback test server with fault injection.
 * @packageDocumentation
 */
export {};
