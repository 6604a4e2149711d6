import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The three kinds of metric, registered in `registers` only (never prom-client's global registry):
 * a definition is its name, its help (the README's Metrics table shows it) and its labels.
 */
export function metricFactory(registers: Registry[]) {
  return {
    counter: <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Counter<L>({ name, help, labelNames, registers }),
    gauge: <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Gauge<L>({ name, help, labelNames, registers }),
    histogram: <L extends string = never>(
      name: string,
      help: string,
      buckets: number[],
      labelNames: readonly L[] = [],
    ) => new Histogram<L>({ name, help, buckets, labelNames, registers }),
  };
}
