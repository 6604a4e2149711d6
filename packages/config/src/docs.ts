import { CONFIG_DOCS, configSchema } from './schema.ts';

/** The README's configuration table, generated so docs cannot drift from the schema. */
export function configTableMarkdown(): string {
  const defaults = configSchema.parse({});
  const rows = Object.entries(CONFIG_DOCS).map(([name, doc]) => {
    const d = (defaults as Record<string, unknown>)[name];
    const shown = d === undefined ? '(unset)' : `\`${Array.isArray(d) ? d.join(',') : String(d)}\``;
    return `| \`${name}\` | ${shown} | ${doc} |`;
  });
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
