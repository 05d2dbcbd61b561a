import { type CallOptions, Secret } from '@ocx/core';
import type { z } from 'zod';
import { checkInput, checkSignal, orUndefined, projectNotFound } from './checks.js';
import { ProjectIdSchema, type ProjectNaming } from './project-naming.js';
import { createRgwHttpClient, type RgwAdminClient, type RgwAdminClientOptionsSchema } from './rgw/rgw-admin-client.js';
import { BucketNameSchema, ObjectKeySchema, s3ObjectCalls } from './rgw/s3-object-client.js';

/** A project's own S3 credentials. Both keys are {@link Secret}s: they print as `[REDACTED]`. */
export interface ProjectCredentials {
  /** RGW's S3 endpoint. */
  endpoint: string;
  /** The RGW user of the project. */
  uid: string;
  accessKey: Secret;
  secretKey: Secret;
}

/**
 * The project-facing side: hand a project its S3 keys, and a few S3 calls signed with them
 * (for demos and tests that play the project). Keys go only to the caller that asked for this
 * project; they are never logged, and never put in errors or events.
 */
export function createProjectStorage(
  rgw: RgwAdminClient,
  naming: ProjectNaming,
  rgwOptions: z.output<typeof RgwAdminClientOptionsSchema>,
) {
  const credentials = async (projectId: string, options?: CallOptions): Promise<ProjectCredentials> => {
    const project = checkInput(ProjectIdSchema, projectId, 'projectCredentials');
    checkSignal(options, 'projectCredentials');
    const uid = naming.uidOf(project);
    const user = await orUndefined(rgw.getUser(uid, {}, options));
    if (user === undefined) throw projectNotFound(project, 'projectCredentials');
    let key = user.keys.find((candidate) => candidate.user === uid);
    // A project whose keys were released gets a new pair when it asks again.
    key ??= (await rgw.createKey(uid, {}, options)).find((candidate) => candidate.user === uid);
    if (key === undefined) throw projectNotFound(project, 'projectCredentials');
    return { endpoint: rgw.endpoint, uid, accessKey: Secret.from(key.accessKey), secretKey: key.secretKey };
  };

  const asProject = async <T>(
    projectId: string,
    options: CallOptions | undefined,
    run: (calls: ReturnType<typeof s3ObjectCalls>) => Promise<T>,
  ): Promise<T> => {
    const keys = await credentials(projectId, options);
    const http = createRgwHttpClient(rgwOptions, keys.accessKey, keys.secretKey, 'rgw-s3', 'signed');
    try {
      return await run(s3ObjectCalls(http));
    } finally {
      await http.close();
    }
  };

  return {
    projectCredentials: credentials,

    /** Create a bucket as the project (a bucket it already owns is fine). */
    createBucket(project: string, bucket: string, options?: CallOptions): Promise<void> {
      const name = checkInput(BucketNameSchema, bucket, 'createBucket');
      return asProject(project, options, (calls) => calls.createBucket(name, options));
    },

    /** Write an object as the project, signed with the project's own keys. */
    putObject(
      project: string,
      bucket: string,
      key: string,
      body: string | Buffer,
      options?: CallOptions,
    ): Promise<{ etag: string | undefined }> {
      const name = checkInput(BucketNameSchema, bucket, 'putObject');
      const objectKey = checkInput(ObjectKeySchema, key, 'putObject');
      return asProject(project, options, (calls) => calls.putObject(name, objectKey, body, options));
    },

    /** Read an object as the project. */
    getObject(project: string, bucket: string, key: string, options?: CallOptions): Promise<Buffer> {
      const name = checkInput(BucketNameSchema, bucket, 'getObject');
      const objectKey = checkInput(ObjectKeySchema, key, 'getObject');
      return asProject(project, options, (calls) => calls.getObject(name, objectKey, options));
    },
  };
}
