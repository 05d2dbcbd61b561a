import { OcxError } from '@ocx/core';

/**
 * A Keystone list. Zed's Keystone has no paging: it cuts a list at `[DEFAULT] list_limit` and
 * says so with `"truncated": true`. The driver reports that as data on every list it returns
 * (`truncated`), and refuses to act on a truncated list where completeness matters (see
 * {@link requireComplete}); narrow the query with filters instead.
 */
export interface KeystoneList<Item> {
  items: Item[];
  truncated: boolean;
}

/** Read a list body into a {@link KeystoneList}. */
export function toKeystoneList<Item>(body: Record<string, unknown>, key: string): KeystoneList<Item> {
  return { items: (body[key] as Item[]) ?? [], truncated: body.truncated === true };
}

/**
 * The items of a list that must be complete, or an OcxError `protocol` saying Keystone cut it
 * short (it reports how many items it did return and what was listed).
 */
export function requireComplete<Item>(list: KeystoneList<Item>, what: string): Item[] {
  if (!list.truncated) return list.items;
  throw new OcxError({
    code: 'protocol',
    backend: 'keystone',
    operation: what,
    fault: 'server',
    message: `Keystone truncated the list of ${what} after ${list.items.length} items ([DEFAULT] list_limit); narrow it with filters or raise list_limit`,
  });
}
