/** Keys as big-endian UTF-16 code units (code-unit order under memcmp), from `@ocx/core`. */
export {
  decodeStoreKey as decodeKey,
  encodeStoreKey as encodeKey,
  storeKeyPrefixRange as prefixRange,
} from '@ocx/core';
