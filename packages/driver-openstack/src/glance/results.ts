import { z } from 'zod';

/** A Glance image. */
export const ImageSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  visibility: z.string(),
  owner: z.string().nullish(),
  size: z.number().int().nullish(),
  virtual_size: z.number().int().nullish(),
  disk_format: z.string().nullish(),
  container_format: z.string().nullish(),
  created_at: z.string().optional(),
});
/** Image as the driver parses it (see {@link ImageSchema}). */
export type Image = z.infer<typeof ImageSchema>;
/** A list answer: `{ images: [...] }` (and its links). */
export const ImageListSchema = z.looseObject({ images: z.array(ImageSchema), next: z.string().optional() });

/** A project an image is shared with, and whether it accepted. */
export const ImageMemberSchema = z.looseObject({
  image_id: z.string(),
  member_id: z.string(),
  status: z.enum(['pending', 'accepted', 'rejected']),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
/** ImageMember as the driver parses it (see {@link ImageMemberSchema}). */
export type ImageMember = z.infer<typeof ImageMemberSchema>;
/** A list answer: `{ members: [...] }` (and its links). */
export const ImageMemberListSchema = z.looseObject({ members: z.array(ImageMemberSchema) });
