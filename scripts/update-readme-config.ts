// Rewrites the README's configuration table from packages/config (run: tsx scripts/update-readme-config.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configTableMarkdown } from '../packages/config/src/index.ts';

const file = path.resolve(import.meta.dirname, '../README.md');
const readme = readFileSync(file, 'utf8');
const updated = readme.replace(
  /<!-- config-table:start -->[\s\S]*?<!-- config-table:end -->/,
  `<!-- config-table:start -->\n${configTableMarkdown()}\n<!-- config-table:end -->`,
);
writeFileSync(file, updated);
