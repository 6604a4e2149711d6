import { Registry } from 'prom-client';
import { defineShopfloorMetrics } from './metric-definitions.ts';

/**
 * The Markdown table of every Shopfloor metric, from the definitions themselves: the READMEs hold
 * it between `<!-- metrics-table:start -->` and `<!-- metrics-table:end -->`, and a test keeps them equal.
 */
export async function metricsTable(): Promise<string> {
  const registry = new Registry();
  const set = defineShopfloorMetrics(registry);
  const labelsOf = new Map(
    Object.values(set).map((metric) => {
      const m = metric as unknown as { name: string; labelNames?: string[] };
      return [m.name, (m.labelNames ?? []).filter((l) => l !== 'le')];
    }),
  );
  const rows = (await registry.getMetricsAsJSON()).map((m) => {
    const labels = labelsOf.get(m.name) ?? [];
    const labelText = labels.length > 0 ? labels.map((l) => `\`${l}\``).join(', ') : '—';
    return `| \`${m.name}\` | ${m.type} | ${labelText} | ${m.help} |`;
  });
  return ['| Metric | Type | Labels | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
