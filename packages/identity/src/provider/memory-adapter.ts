import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * State of one local identity provider (sessions, grants, codes, tokens), in memory and private
 * to it. oidc-provider's own memory adapter keeps one module-wide store for every provider in the
 * process; ours is per provider, so two providers in one test never share a session, and it
 * outlives a provider instance rebuilt to rotate its keys.
 */
export function createMemoryAdapterFactory(now: () => number = Date.now): (model: string) => Adapter {
  const records = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const grants = new Map<string, Set<string>>();
  const sessionsByUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const grantable = new Set([
    'AccessToken',
    'AuthorizationCode',
    'RefreshToken',
    'DeviceCode',
    'BackchannelAuthenticationRequest',
  ]);

  const read = (key: string): AdapterPayload | undefined => {
    const record = records.get(key);
    if (record === undefined) return undefined;
    if (record.expiresAt <= now()) {
      records.delete(key);
      return undefined;
    }
    return record.payload;
  };

  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        records.set(key(id), { payload: structuredClone(payload), expiresAt: now() + expiresIn * 1000 });
        if (model === 'Session' && payload.uid !== undefined) sessionsByUid.set(payload.uid, id);
        if (payload.userCode !== undefined) byUserCode.set(payload.userCode, id);
        if (grantable.has(model) && payload.grantId !== undefined) {
          const tokens = grants.get(payload.grantId) ?? new Set<string>();
          tokens.add(key(id));
          grants.set(payload.grantId, tokens);
        }
      },
      async find(id) {
        const payload = read(key(id));
        return payload === undefined ? undefined : structuredClone(payload);
      },
      async findByUid(uid) {
        const id = sessionsByUid.get(uid);
        return id === undefined ? undefined : structuredClone(read(key(id)));
      },
      async findByUserCode(userCode) {
        const id = byUserCode.get(userCode);
        return id === undefined ? undefined : structuredClone(read(key(id)));
      },
      async consume(id) {
        const payload = read(key(id));
        if (payload !== undefined) payload.consumed = Math.floor(now() / 1000);
      },
      async destroy(id) {
        records.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const token of grants.get(grantId) ?? []) records.delete(token);
        grants.delete(grantId);
      },
    };
  };
}
