import { createKeystoneSession, issueKeystoneToken, type KeystoneSession } from './session.js';

/**
 * A session of the same cloud whose token is the driver's own, rescoped to another project
 * (`POST /v3/auth/tokens` with method `token`). The driver's user must hold a role on that
 * project, or Keystone refuses with 401 (an `auth` error). Calls that act *as* a project — accept
 * a volume transfer, create a server in it — need such a token.
 */
export function scopedSession(session: KeystoneSession, projectId: string): KeystoneSession {
  return createKeystoneSession({
    authUrl: session.authUrl,
    interface: session.interface,
    region: session.region,
    http: session.http,
    obtainToken: async (tokens) => {
      const current = await session.tokenText();
      return issueKeystoneToken(tokens, {
        auth: {
          identity: { methods: ['token'], token: { id: current.reveal() } },
          scope: { project: { id: projectId } },
        },
      });
    },
  });
}
