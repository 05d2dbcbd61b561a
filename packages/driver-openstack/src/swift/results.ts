import { z } from 'zod';

/** One container of an account listing. */
export const SwiftContainerSchema = z.looseObject({
  name: z.string(),
  count: z.number().int(),
  bytes: z.number().int(),
  last_modified: z.string().optional(),
});
/** SwiftContainer as the driver parses it (see {@link SwiftContainerSchema}). */
export type SwiftContainer = z.infer<typeof SwiftContainerSchema>;
/** One object of a container listing (or a `subdir` when a delimiter is used). */
export const SwiftObjectSchema = z.looseObject({
  name: z.string(),
  hash: z.string().optional(),
  bytes: z.number().int().optional(),
  content_type: z.string().optional(),
  last_modified: z.string().optional(),
});
/** SwiftObject as the driver parses it (see {@link SwiftObjectSchema}). */
export type SwiftObject = z.infer<typeof SwiftObjectSchema>;

/** An empty text listing is 204 with no body, which the client reads as `undefined`. */
export const ContainerListSchema = z.array(SwiftContainerSchema).optional();
/** A list answer. */
export const ObjectListSchema = z.array(SwiftObjectSchema).optional();
