import { z } from 'zod';

/** OpenStack's `[{rel, href}]` link lists (`servers_links`, `tenant_usages_links`, `links`). */
export const LinkListSchema = z.array(z.looseObject({ rel: z.string(), href: z.string() })).optional();

/** The `rel: next` link of a link list. */
export function nextHref(links: ReadonlyArray<{ rel: string; href: string }> | undefined): string | undefined {
  return links?.find((link) => link.rel === 'next')?.href;
}
