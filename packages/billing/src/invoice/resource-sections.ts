/**
 * The sections of the one-page project bill, in the order they are printed. A line goes to the
 * section of its resource type; when the type says nothing (the reference landlord types
 * resources by metric prefix, `vcpu`), to the section of its metric.
 */
export const SUMMARY_SECTIONS = [
  {
    id: 'virtual-machines',
    title: 'Virtual machines',
    category: 'Compute',
    types: ['server', 'instance', 'vm', 'virtual-machine'],
    metrics: ['vcpu-hours', 'ram-gb-hours', 'cpu-su-hours', 'gpu-su-hours', 'gpu-hours', 'network-gb'],
  },
  {
    id: 'bare-metal',
    title: 'Bare-metal nodes',
    category: 'Compute',
    types: ['bare-metal-node', 'node', 'baremetal', 'bare-metal'],
    metrics: ['node-hours'],
  },
  {
    id: 'containers',
    title: 'Containers',
    category: 'Compute',
    types: ['container', 'pod', 'namespace'],
    metrics: [] as string[],
  },
  {
    id: 'object-storage',
    title: 'Object storage',
    category: 'Storage',
    types: ['bucket', 'object-storage', 'object-store'],
    metrics: ['object-storage-gb-hours'],
  },
  {
    id: 'volumes',
    title: 'Volume storage',
    category: 'Storage',
    types: ['volume', 'block-storage'],
    metrics: ['storage-gb-hours', 'volume-gb-hours'],
  },
  {
    id: 'persistent-volumes',
    title: 'Persistent volumes',
    category: 'Storage',
    types: ['persistent-volume', 'pvc', 'persistent-volume-claim'],
    metrics: [] as string[],
  },
  {
    id: 'floating-ips',
    title: 'Floating IPs',
    category: 'Networking',
    types: ['floating-ip', 'floatingip', 'public-ip'],
    metrics: ['floating-ip-hours'],
  },
  { id: 'quotas', title: 'Quota allocations', category: 'Storage', types: ['quota'], metrics: [] as string[] },
  { id: 'other', title: 'Other usage', category: 'Other', types: [] as string[], metrics: [] as string[] },
] as const;

/** The id of a bill section. */
export type SummarySectionId = (typeof SUMMARY_SECTIONS)[number]['id'];
type Section = (typeof SUMMARY_SECTIONS)[number];

/** The bill section of a resource type (or, failing that, of a metric); `other` when neither is known. */
export function sectionOf(resourceType: string | undefined, metric?: string): Section {
  const type = (resourceType ?? '').toLowerCase();
  return (
    SUMMARY_SECTIONS.find((section) => (section.types as readonly string[]).includes(type)) ??
    SUMMARY_SECTIONS.find(
      (section) => metric !== undefined && (section.metrics as readonly string[]).includes(metric),
    ) ??
    SUMMARY_SECTIONS[SUMMARY_SECTIONS.length - 1]!
  );
}
