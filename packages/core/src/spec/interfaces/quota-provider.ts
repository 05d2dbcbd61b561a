import type { DecimalString } from '../../money/decimal.js';
import type { CallOptions } from '../primitives.js';
import type { QuotaUsage } from '../quota.js';

/** Reads and sets a project's limits in a landlord's service. */
export interface QuotaProvider {
  /** The resource names this provider understands, e.g. `cores`, `ram-mb`, `object-bytes`. */
  readonly resources: readonly string[];
  getQuotas(project: string, options?: CallOptions): Promise<QuotaUsage[]>;
  /**
   * Set limits; `null` removes the limit. Values the service would refuse are refused first,
   * with the field named. Resources not mentioned are left alone.
   */
  setQuotas(
    project: string,
    limits: Record<string, DecimalString | null>,
    options?: CallOptions,
  ): Promise<QuotaUsage[]>;
}
