import { type Logger, OcxError } from '@ocx/core';
import { bearerToken, createHttpClient } from '@ocx/core/http';
import type { ParsedLocalIdentityProviderOptions } from './provider-options.js';

/** How telling one relying party went. */
export interface DeprovisioningDelivery {
  url: string;
  ok: boolean;
  status?: number;
  error?: string;
}

/**
 * Tell each relying party that a user has left, as an identity provider with SCIM provisioning
 * does: `DELETE <target>/Users/<sub>` with the target's bearer token. Each target is tried on its
 * own; a failure is reported, not thrown, so one unreachable party does not hide the others.
 */
export async function pushDeparture(
  targets: ParsedLocalIdentityProviderOptions['deprovisioning'],
  sub: string,
  options: { timeoutMs?: number; retries?: number; logger?: Logger } = {},
): Promise<DeprovisioningDelivery[]> {
  return Promise.all(
    targets.map(async (target): Promise<DeprovisioningDelivery> => {
      const token = target.token;
      const http = createHttpClient({
        backend: 'scim-target',
        baseUrl: target.url,
        auth: bearerToken({ getToken: async () => ({ token }) }),
        timeoutMs: options.timeoutMs ?? 10_000,
        ...(options.retries === undefined ? {} : { retry: { retries: options.retries } }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
      try {
        const base = target.url.endsWith('/') ? target.url : `${target.url}/`;
        const response = await http.delete(new URL(`Users/${encodeURIComponent(sub)}`, base).toString(), {
          responseType: 'empty',
          expectedStatus: [200, 204, 404],
          operation: 'scim-delete-user',
        });
        // 404: the party never knew the user, so nothing is held there; that is delivered too.
        return { url: target.url, ok: true, status: response.status };
      } catch (error) {
        return {
          url: target.url,
          ok: false,
          ...(OcxError.is(error) && error.status !== undefined ? { status: error.status } : {}),
          error: OcxError.is(error) ? error.message : String(error),
        };
      } finally {
        await http.close();
      }
    }),
  );
}
