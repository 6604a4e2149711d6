// Reading figures out of a /metrics text (the Prometheus exposition format), the one parser the
// bench's sections share.

/**
 * The values of every sample of `name` whose labels include each one given (a subset match: label
 * order and other labels do not matter). A value that is not a finite number is left out.
 */
export function promSamples(text: string, name: string, labels: Record<string, string> = {}): number[] {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const values: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const close = line.lastIndexOf('}');
    const labelText = close < 0 ? '' : line.slice(name.length + 1, close);
    if (!wanted.every((w) => labelText.split(',').includes(w))) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

/** The first matching sample's value, undefined if none. */
export function promValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return promSamples(text, name, labels)[0];
}

/** Sums every sample of a metric (all label sets) in a /metrics text. */
export function promSum(text: string, name: string): number {
  return promSamples(text, name).reduce((a, v) => a + v, 0);
}
