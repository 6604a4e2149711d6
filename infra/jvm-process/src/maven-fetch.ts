import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Makes sure a server's distribution is in its cache: when `complete` (the marker the fetch script
 * touches last) is missing, runs the script (which fetches from Maven Central with `mvn`).
 */
export async function ensureFetched(input: {
  what: string;
  dir: string;
  complete: string;
  script: string;
  log?: ((line: string) => void) | undefined;
}): Promise<void> {
  if (existsSync(input.complete)) return;
  input.log?.(`${input.what} missing in ${input.dir}; running ${input.script}`);
  await promisify(execFile)('bash', [input.script], { maxBuffer: 16 * 1024 * 1024 });
  if (!existsSync(input.complete)) throw new Error(`${input.script} did not produce ${input.dir}`);
}
