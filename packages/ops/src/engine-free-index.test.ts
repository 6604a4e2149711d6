import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

/** The native libraries of chdb a fresh node process has loaded after importing `entry`. */
function chdbLibrariesLoadedBy(entry: string): string[] {
  const script = `await import(${JSON.stringify(entry)});
console.log(JSON.stringify(process.report.getReport().sharedObjects.filter((s) => /chdb/i.test(s))));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out) as string[];
}

// The gateway main and the split topology's gateway and supervisor import the index: the embedded
// engine is ~150 MiB of RSS they never use.
describe('@shopfloor/ops loads the embedded ClickHouse engine only through its ./clickhouse subpath', () => {
  test('the index loads no chdb library', () => {
    expect(chdbLibrariesLoadedBy(new URL('./index.ts', import.meta.url).pathname)).toEqual([]);
  });

  test('the ./clickhouse subpath does (so the check above can see it)', () => {
    expect(chdbLibrariesLoadedBy(new URL('./clickhouse.ts', import.meta.url).pathname)).not.toEqual([]);
  });
});
