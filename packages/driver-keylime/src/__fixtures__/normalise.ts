/**
 * Replace the values of `dynamic` keys, at any depth, by their type, so two answers that differ
 * only in times and counters compare equal while every other field still has to match exactly.
 */
export function normaliseDynamic(value: unknown, dynamic: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => normaliseDynamic(item, dynamic));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      dynamic.includes(key) ? `<${typeof item}>` : normaliseDynamic(item, dynamic),
    ]),
  );
}
