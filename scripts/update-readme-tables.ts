// Rewrites the README's generated tables (configuration, rejection reasons) from the code:
// tsx scripts/update-readme-tables.ts. Tests fail when the README and the code disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configTableMarkdown } from '../packages/config/src/index.ts';
import { rejectionReasonsMarkdown } from '../packages/contracts/src/index.ts';

const file = path.resolve(import.meta.dirname, '../README.md');
const section = (text: string, name: string, body: string) =>
  text.replace(
    new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->`),
    `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`,
  );
let readme = readFileSync(file, 'utf8');
readme = section(readme, 'config-table', configTableMarkdown());
readme = section(readme, 'rejection-reasons', rejectionReasonsMarkdown());
writeFileSync(file, readme);
