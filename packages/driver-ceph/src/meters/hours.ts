/** One hour in milliseconds: RGW's usage log and the sampled meters cut usage at whole UTC hours. */
export const HOUR_MS = 3_600_000;

/** The start of the UTC hour holding `time`. */
export function floorHour(time: number): number {
  return Math.floor(time / HOUR_MS) * HOUR_MS;
}

/** The start of the first whole UTC hour at or after `time`. */
export function ceilHour(time: number): number {
  return Math.ceil(time / HOUR_MS) * HOUR_MS;
}

/** Cut `[start, end)` at whole hours: `[start, h1), [h1, h2), …, [hn, end)`. */
export function hourlyPieces(start: number, end: number): Array<{ start: number; end: number }> {
  const pieces: Array<{ start: number; end: number }> = [];
  for (let from = start; from < end; ) {
    const to = Math.min(end, floorHour(from) + HOUR_MS);
    pieces.push({ start: from, end: to });
    from = to;
  }
  return pieces;
}
