import { closeSync, fstatSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The files a running JVM server leaves in its data dir: `<name>.pid`, `<name>.json`, `<name>.log`. */
export type ProcessFiles = { pid: string; state: string; log: string };

export function processFiles(dataDir: string, name: string): ProcessFiles {
  return {
    pid: join(dataDir, `${name}.pid`),
    state: join(dataDir, `${name}.json`),
    log: join(dataDir, `${name}.log`),
  };
}

export function readPid(files: ProcessFiles): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(files.pid, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function readState<S>(files: ProcessFiles): S | undefined {
  try {
    return JSON.parse(readFileSync(files.state, 'utf8')) as S;
  } catch {
    return undefined;
  }
}

export function writeState<S extends { pid: number }>(files: ProcessFiles, state: S): void {
  writeFileSync(files.state, `${JSON.stringify(state, null, 2)}\n`);
  writeFileSync(files.pid, `${state.pid}\n`);
}

export function clearState(files: ProcessFiles): void {
  rmSync(files.pid, { force: true });
  rmSync(files.state, { force: true });
}

/** The last `bytes` of the log, for error messages. */
export function logTail(files: ProcessFiles, bytes = 4_000): string {
  let fd: number | undefined;
  try {
    fd = openSync(files.log, 'r');
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } catch {
    return `(no ${basename(files.log)})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
