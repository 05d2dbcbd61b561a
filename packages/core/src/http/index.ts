/**
 * `@ocx/core/http`: the one HTTP layer every driver uses.
 * @packageDocumentation
 */
export {};
