const integer = new Intl.NumberFormat('en-US');
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Counts as the API gives them, grouped by thousands. */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** Rates and percentages, at most 2 decimals. */
export function formatDecimal(n: number): string {
  return decimal.format(n);
}

/** An ISO instant as `HH:MM:SS` UTC (the API's times are UTC). */
export function formatTime(iso: string | number): string {
  return new Date(iso).toISOString().slice(11, 19);
}

/** An ISO instant as `YYYY-MM-DD HH:MM` UTC. */
export function formatDateTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
