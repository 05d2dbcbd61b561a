import { type CallOptions, registerSecret, revealSecret, type Secret } from '@ocx/core';
import { paginate } from '@ocx/core/http';
import { z } from 'zod';
import {
  RgwCapsSchema,
  type RgwKey,
  RgwKeySchema,
  type RgwUser,
  RgwUserListSchema,
  RgwUserSchema,
} from './rgw-schemas.js';
import type { RgwTransport } from './rgw-transport.js';

/** Fields of a new RGW user (`PUT /admin/user`). */
export interface CreateRgwUserInput {
  uid: string;
  displayName: string;
  email?: string;
  /** Give the user an S3 key pair now (RGW's default). */
  generateKey?: boolean;
  /** Use this key pair instead of a generated one. */
  accessKey?: string;
  secretKey?: string | Secret;
  maxBuckets?: number;
  /** Caps such as `usage=read;buckets=read`. */
  caps?: string;
  suspended?: boolean;
}

/** Changes to an RGW user (`POST /admin/user`); fields left out stay as they are. */
export interface ModifyRgwUserInput {
  displayName?: string;
  email?: string;
  maxBuckets?: number;
  suspended?: boolean;
}

/** Subuser access levels RGW knows. */
export type RgwSubuserAccess = 'read' | 'write' | 'readwrite' | 'full';

const flag = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : String(value));

/** The user calls of the Admin Ops API: users, keys, subusers and caps. */
export function rgwUserCalls(transport: RgwTransport) {
  return {
    /** Create a user. Its keys come back as {@link Secret}s. A second create is a `conflict` (UserAlreadyExists). */
    createUser(input: CreateRgwUserInput, options?: CallOptions): Promise<RgwUser> {
      const secretKey = input.secretKey === undefined ? undefined : revealSecret(input.secretKey);
      if (secretKey !== undefined) registerSecret(secretKey);
      return transport.call(
        {
          operation: 'create_user',
          method: 'PUT',
          resource: 'user',
          query: {
            uid: input.uid,
            'display-name': input.displayName,
            email: input.email,
            'generate-key': flag(input.generateKey),
            'access-key': input.accessKey,
            'secret-key': secretKey,
            'max-buckets': input.maxBuckets,
            'user-caps': input.caps,
            suspended: flag(input.suspended),
          },
          schema: RgwUserSchema,
          // A create that is resent after RGW applied it answers UserAlreadyExists, which callers handle.
          idempotent: true,
        },
        options,
      );
    },

    /** A user's details; with `stats`, its storage statistics (`sync` refreshes them first). Unknown users are `not-found`. */
    getUser(uid: string, query: { stats?: boolean; sync?: boolean } = {}, options?: CallOptions): Promise<RgwUser> {
      return transport.call(
        {
          operation: 'get_user',
          method: 'GET',
          resource: 'user',
          query: { uid, stats: flag(query.stats), sync: flag(query.sync) },
          schema: RgwUserSchema,
        },
        options,
      );
    },

    /** Every uid, page by page (`GET /admin/user?list` with RGW's marker). */
    listUsers(options: CallOptions & { pageSize?: number } = {}): AsyncGenerator<string, void, undefined> {
      return paginate<string, string>({
        what: 'rgw users',
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        fetchPage: async (marker, signal) => {
          const page = await transport.call(
            {
              operation: 'list_users',
              method: 'GET',
              resource: 'user',
              query: { list: '', 'max-entries': options.pageSize ?? 1000, marker },
              schema: RgwUserListSchema,
            },
            signal === undefined ? {} : { signal },
          );
          return { items: page.keys, next: page.truncated && page.marker ? page.marker : undefined };
        },
      });
    },

    /** Change a user's fields. */
    modifyUser(uid: string, changes: ModifyRgwUserInput, options?: CallOptions): Promise<RgwUser> {
      return transport.call(
        {
          operation: 'modify_user',
          method: 'POST',
          resource: 'user',
          query: {
            uid,
            'display-name': changes.displayName,
            email: changes.email,
            'max-buckets': changes.maxBuckets,
            suspended: flag(changes.suspended),
          },
          schema: RgwUserSchema,
          // Setting the same fields again gives the same user.
          idempotent: true,
        },
        options,
      );
    },

    /** Suspend (or, with `false`, reactivate) a user: RGW then refuses its requests. */
    suspendUser(uid: string, suspended = true, options?: CallOptions): Promise<RgwUser> {
      return this.modifyUser(uid, { suspended }, options);
    },

    /** Remove a user; `purgeData` also deletes its buckets and objects. Unknown users are `not-found`. */
    async removeUser(uid: string, query: { purgeData?: boolean } = {}, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: 'remove_user',
          method: 'DELETE',
          resource: 'user',
          query: { uid, 'purge-data': flag(query.purgeData) },
          idempotent: true,
        },
        options,
      );
    },

    /**
     * Create an S3 key for a user (or subuser) and return the user's keys after it. Never retried
     * by the HTTP layer: a resent request would leave a second, unknown key behind.
     */
    async createKey(
      uid: string,
      input: { subuser?: string; accessKey?: string; secretKey?: string | Secret } = {},
      options?: CallOptions,
    ): Promise<RgwKey[]> {
      const secretKey = input.secretKey === undefined ? undefined : revealSecret(input.secretKey);
      if (secretKey !== undefined) registerSecret(secretKey);
      const generated = input.accessKey === undefined && secretKey === undefined;
      return transport.call(
        {
          operation: 'create_key',
          method: 'PUT',
          resource: 'user',
          query: {
            key: '',
            uid,
            subuser: input.subuser,
            'key-type': 's3',
            'access-key': input.accessKey,
            'secret-key': secretKey,
            'generate-key': generated ? 'true' : undefined,
          },
          schema: z.array(RgwKeySchema),
          idempotent: false,
        },
        options,
      );
    },

    /** Remove one S3 key by its access key. */
    async removeKey(uid: string, accessKey: string, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: 'remove_key',
          method: 'DELETE',
          resource: 'user',
          query: { key: '', uid, 'access-key': accessKey, 'key-type': 's3' },
          idempotent: true,
        },
        options,
      );
    },

    /** Remove a subuser's Swift key. */
    async removeSwiftKey(uid: string, subuser: string, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: 'remove_swift_key',
          method: 'DELETE',
          resource: 'user',
          query: { key: '', uid, subuser: `${uid}:${subuser}`, 'key-type': 'swift' },
          idempotent: true,
        },
        options,
      );
    },

    /** Create a subuser (`uid:name`). Pacific gives it a key whatever `generate-secret` says. A second create is a `conflict`. */
    async createSubuser(uid: string, subuser: string, access: RgwSubuserAccess, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: 'create_subuser',
          method: 'PUT',
          resource: 'user',
          query: { subuser: `${uid}:${subuser}`, uid, access, 'key-type': 's3', 'generate-secret': 'false' },
          idempotent: true,
        },
        options,
      );
    },

    /** Change a subuser's access level. */
    async modifySubuser(uid: string, subuser: string, access: RgwSubuserAccess, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: 'modify_subuser',
          method: 'POST',
          resource: 'user',
          query: { subuser: `${uid}:${subuser}`, uid, access },
          idempotent: true,
        },
        options,
      );
    },

    /** Remove a subuser and its keys. */
    async removeSubuser(uid: string, subuser: string, options?: CallOptions): Promise<void> {
      await transport.call(
        {
          operation: 'remove_subuser',
          method: 'DELETE',
          resource: 'user',
          query: { subuser: `${uid}:${subuser}`, uid, 'purge-keys': 'true' },
          idempotent: true,
        },
        options,
      );
    },

    /** Add caps (`usage=read;buckets=*`); returns the user's caps after the change. */
    addCaps(uid: string, caps: string, options?: CallOptions): Promise<Array<{ type: string; perm: string }>> {
      return transport.call(
        {
          operation: 'add_caps',
          method: 'PUT',
          resource: 'user',
          query: { caps: '', uid, 'user-caps': caps },
          schema: RgwCapsSchema,
          idempotent: true,
        },
        options,
      );
    },

    /** Remove caps; returns the user's caps after the change. */
    removeCaps(uid: string, caps: string, options?: CallOptions): Promise<Array<{ type: string; perm: string }>> {
      return transport.call(
        {
          operation: 'remove_caps',
          method: 'DELETE',
          resource: 'user',
          query: { caps: '', uid, 'user-caps': caps },
          schema: RgwCapsSchema,
          idempotent: true,
        },
        options,
      );
    },
  };
}
