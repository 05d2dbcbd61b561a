/**
 * OpenStack services write UTC timestamps without an offset (`2026-11-21T09:58:43.000000`,
 * Nova and Cinder) or with `Z` (Neutron, Keystone). Both mean UTC; JavaScript would read the
 * first as local time, so an offset is added before parsing.
 *
 * @example
 * parseOpenStackTime('2026-11-21T09:58:43.000000'); // 1795255123000
 */
export function parseOpenStackTime(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text === '') return undefined;
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/i.test(text);
  const parsed = Date.parse(hasOffset ? text : `${text}Z`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** A time as Nova's `os-simple-tenant-usage` wants it: `YYYY-MM-DDThh:mm:ss.ffffff`, UTC, no offset. */
export function novaTime(milliseconds: number): string {
  return `${new Date(milliseconds).toISOString().slice(0, 23)}000`;
}
