// Rewrites the READMEs' generated tables (configuration, rejection reasons, metrics) from the code:
// tsx scripts/update-readme-tables.ts. Tests fail when the README and the code disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configTableMarkdown } from '../packages/config/src/index.ts';
import { rejectionReasonsMarkdown } from '../packages/contracts/src/index.ts';
import { metricsTable } from '../packages/metrics/src/metrics-table.ts';

const file = path.resolve(import.meta.dirname, '../README.md');
const section = (text: string, name: string, body: string) =>
  text.replace(
    new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->`),
    `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`,
  );
let readme = readFileSync(file, 'utf8');
readme = section(readme, 'config-table', configTableMarkdown());
readme = section(readme, 'rejection-reasons', rejectionReasonsMarkdown());
const metrics = await metricsTable();
readme = section(readme, 'metrics-table', metrics);
writeFileSync(file, readme);
const metricsReadme = path.resolve(import.meta.dirname, '../packages/metrics/README.md');
writeFileSync(metricsReadme, section(readFileSync(metricsReadme, 'utf8'), 'metrics-table', metrics));
