import { z } from 'zod';
import type { CallOptions } from '../primitives.js';

/** A project as the exchange asks a service to create it. */
export const TenantProjectSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(200),
  organization: z.string().min(1),
  description: z.string().max(1000).optional(),
});
export type TenantProject = z.infer<typeof TenantProjectSchema>;

/** A project as a service reports it. */
export interface TenantProjectState {
  id: string;
  /** The service's own id for it (Keystone project id, RGW uid, …). */
  externalId: string;
  enabled: boolean;
  members: Array<{ user: string; role: string }>;
}

/**
 * Creates and removes projects and memberships in a landlord's service. Every method is
 * idempotent, so onboarding can be retried and resumed.
 */
export interface Tenancy {
  ensureProject(project: TenantProject, options?: CallOptions): Promise<TenantProjectState>;
  getProject(projectId: string, options?: CallOptions): Promise<TenantProjectState | undefined>;
  ensureMember(input: { project: string; user: string; role: string }, options?: CallOptions): Promise<void>;
  removeMember(input: { project: string; user: string }, options?: CallOptions): Promise<void>;
  disableProject(projectId: string, options?: CallOptions): Promise<void>;
  /** Delete the project; missing projects are a success. */
  deleteProject(projectId: string, options?: CallOptions): Promise<void>;
  /**
   * Release everything the project holds in this service (servers, volumes, floating IPs,
   * buckets, …) and report what was released. Optional: present only on drivers whose
   * capabilities declare `tenancy.releasesResources`. Idempotent.
   */
  releaseResources?(projectId: string, options?: CallOptions): Promise<ReleasedResource[]>;
}

/** One resource a service released when a project closed. */
export interface ReleasedResource {
  type: string;
  id: string;
  name?: string;
}
