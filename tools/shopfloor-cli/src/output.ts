/**
 * Formats rows as an aligned text table (numbers right-aligned), for a person at a terminal. A
 * column of missing values only (`-`: e.g. no offset committed yet on any partition) is aligned as
 * numbers too, so the same column lines up alike in every block of a report.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined || c === null ? '-' : String(c))));
  const numeric = headers.map((_, i) => cells.every((r) => /^-?\d+(\.\d+)?$|^-$/.test(r[i] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** JSON with bigints as strings (offsets are 64-bit). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

/** An error a command reports to the operator as is (no stack), with exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
