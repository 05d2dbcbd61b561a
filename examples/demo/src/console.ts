/** Small console helpers for the demo: headings, tables and a progress bar. */

const useColour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const paint = (code: number) => (text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const green = paint(32);
export const red = paint(31);
export const cyan = paint(36);

/** Print a section heading. */
export function heading(text: string): void {
  process.stdout.write(`\n${bold(cyan(`== ${text} `.padEnd(78, '=')))}\n`);
}

/** Print rows as an aligned table with a header. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  process.stdout.write(`${bold(line(header))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

/** A progress bar for long steps; redraws in place on a terminal, prints milestones otherwise. */
export function progress(label: string, total: number): { tick(count?: number): void; done(): void } {
  let current = 0;
  let lastQuarter = -1;
  const draw = () => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((current / total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r  ${label} ${bar} ${current}/${total}`);
    } else {
      const quarter = total === 0 ? 4 : Math.floor((current / total) * 4);
      if (quarter !== lastQuarter) {
        lastQuarter = quarter;
        process.stdout.write(`  ${label} ${bar} ${current}/${total}\n`);
      }
    }
  };
  draw();
  return {
    tick(count = 1) {
      current = Math.min(total, current + count);
      draw();
    },
    done() {
      current = total;
      draw();
      if (process.stdout.isTTY) process.stdout.write('\n');
    },
  };
}

/**
 * An event's payload as one short line of valid JSON: whole top-level fields are kept while they
 * fit in `max` characters; the rest are counted (`"…": "+3 fields"`), never cut in the middle.
 */
export function eventSummary(payload: unknown, max = 160): string {
  const whole = JSON.stringify(payload) ?? 'undefined';
  if (whole.length <= max || payload === null || typeof payload !== 'object' || Array.isArray(payload)) return whole;
  const entries = Object.entries(payload as Record<string, unknown>);
  const kept: Record<string, unknown> = {};
  let index = 0;
  for (; index < entries.length; index += 1) {
    const [key, value] = entries[index]!;
    const next = JSON.stringify({ ...kept, [key]: value, '…': `+${entries.length} fields` });
    if (next.length > max && index > 0) break;
    kept[key] = value;
  }
  const left = entries.length - index;
  return JSON.stringify(left === 0 ? kept : { ...kept, '…': `+${left} field${left === 1 ? '' : 's'}` });
}
