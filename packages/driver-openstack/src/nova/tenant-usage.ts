import { Decimal, type DecimalString } from '@ocx/core';
import { type HttpClient, nextLinkPages } from '@ocx/core/http';
import { decimalFromJsonNumber } from '../shared/json-number.js';
import { nextHref } from '../shared/links.js';
import { novaTime } from '../shared/openstack-time.js';
import { type ServerUsage, SingleTenantUsageSchema, type TenantUsage, TenantUsageListSchema } from './results.js';

/** What to ask `os-simple-tenant-usage` for. */
export interface TenantUsageQuery {
  /** Window start and end, in milliseconds or ISO text; Nova clamps the end to now. */
  start: number | string;
  end: number | string;
  /** One project (`/os-simple-tenant-usage/{project}`); all projects (admin) when absent. */
  projectId?: string;
  /** Servers per page (microversion 2.40 paging). Default 1000, Nova's usual `max_limit`. */
  pageSize?: number;
  signal?: AbortSignal;
}

/** One project's part of one usage page: its totals for the servers of this page only. */
export interface TenantUsagePageEntry {
  projectId: string;
  totals: UsageTotals;
  servers: ServerUsage[];
}

/** Usage totals as exact decimals: hours, vCPU-hours, MiB-hours, GiB-hours of local disk. */
export interface UsageTotals {
  hours: DecimalString;
  vcpuHours: DecimalString;
  memoryMbHours: DecimalString;
  localGbHours: DecimalString;
}

const toMilliseconds = (value: number | string): number => (typeof value === 'number' ? value : Date.parse(value));

function totalsOf(usage: TenantUsage): UsageTotals {
  return {
    hours: decimalFromJsonNumber(usage.total_hours ?? 0).toString(),
    vcpuHours: decimalFromJsonNumber(usage.total_vcpus_usage ?? 0).toString(),
    memoryMbHours: decimalFromJsonNumber(usage.total_memory_mb_usage ?? 0).toString(),
    localGbHours: decimalFromJsonNumber(usage.total_local_gb_usage ?? 0).toString(),
  };
}

/** Add two sets of totals exactly. */
export function addTotals(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    hours: Decimal.from(a.hours).add(b.hours).toString(),
    vcpuHours: Decimal.from(a.vcpuHours).add(b.vcpuHours).toString(),
    memoryMbHours: Decimal.from(a.memoryMbHours).add(b.memoryMbHours).toString(),
    localGbHours: Decimal.from(a.localGbHours).add(b.localGbHours).toString(),
  };
}

/** Totals of nothing. */
export const ZERO_TOTALS: UsageTotals = Object.freeze({
  hours: '0',
  vcpuHours: '0',
  memoryMbHours: '0',
  localGbHours: '0',
});

/**
 * The pages of `os-simple-tenant-usage` (detailed), one at a time: microversion 2.40 pages by
 * server (`limit` + `marker`, next link in `tenant_usage(s)_links`), and each page's totals
 * cover only that page's servers — so a caller that wants a project's totals must add the
 * pages up ({@link sumTenantUsage} does). A failed page ends the listing with an error saying
 * how many pages came before it; nothing is silently cut.
 */
export function tenantUsagePages(nova: HttpClient, query: TenantUsageQuery): AsyncGenerator<TenantUsagePageEntry[]> {
  const common = {
    client: nova,
    call: {
      query: {
        start: novaTime(toMilliseconds(query.start)),
        end: novaTime(toMilliseconds(query.end)),
        detailed: 1,
        limit: query.pageSize ?? 1000,
      },
      operation: 'get_tenant_usage',
    },
    signal: query.signal,
  };
  if (query.projectId !== undefined) {
    return nextLinkPages({
      ...common,
      what: `nova usage of project ${query.projectId}`,
      path: `os-simple-tenant-usage/${encodeURIComponent(query.projectId)}`,
      schema: SingleTenantUsageSchema,
      items: (page) => [pageEntries([page.tenant_usage], query.projectId)],
      next: (page) => nextHref(page.tenant_usage_links),
    });
  }
  return nextLinkPages({
    ...common,
    what: 'nova usage of all projects',
    path: 'os-simple-tenant-usage',
    schema: TenantUsageListSchema,
    items: (page) => [pageEntries(page.tenant_usages)],
    next: (page) => nextHref(page.tenant_usages_links),
  });
}

function pageEntries(usages: readonly TenantUsage[], projectId?: string): TenantUsagePageEntry[] {
  return usages
    .filter((usage) => usage.tenant_id !== undefined || projectId !== undefined)
    .map((usage) => ({
      projectId: usage.tenant_id ?? projectId!,
      totals: totalsOf(usage),
      servers: usage.server_usages ?? [],
    }));
}

/** A project's usage over a window, its page totals added up. */
export interface TenantUsageSummary {
  projectId: string;
  totals: UsageTotals;
  /** Servers seen. */
  servers: number;
}

/**
 * Sum `os-simple-tenant-usage` over every page, per project, exactly (the floats Nova sends are
 * read as the decimals they print as).
 */
export async function sumTenantUsage(
  nova: HttpClient,
  query: TenantUsageQuery,
): Promise<{ projects: TenantUsageSummary[]; pages: number }> {
  const byProject = new Map<string, TenantUsageSummary>();
  let pages = 0;
  for await (const page of tenantUsagePages(nova, query)) {
    pages += 1;
    for (const entry of page) {
      const known = byProject.get(entry.projectId) ?? { projectId: entry.projectId, totals: ZERO_TOTALS, servers: 0 };
      byProject.set(entry.projectId, {
        projectId: entry.projectId,
        totals: addTotals(known.totals, entry.totals),
        servers: known.servers + entry.servers.length,
      });
    }
  }
  if (query.projectId !== undefined && !byProject.has(query.projectId)) {
    byProject.set(query.projectId, { projectId: query.projectId, totals: ZERO_TOTALS, servers: 0 });
  }
  return { projects: [...byProject.values()], pages };
}
