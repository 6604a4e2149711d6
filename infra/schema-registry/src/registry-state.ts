import { closeSync, fstatSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a running registry leaves in its data dir besides the pid file. */
export interface RegistryState {
  pid: number;
  port: number;
  managementPort: number;
  brokers: string[];
  journalTopic: string;
  startedAt: string;
  version: string;
  javaHome: string;
}

export function registryFiles(dataDir: string) {
  return {
    pid: join(dataDir, 'registry.pid'),
    state: join(dataDir, 'registry.json'),
    log: join(dataDir, 'registry.log'),
  };
}

/** The string a process's command line must contain to count as this data dir's registry. */
export const registryMarker = (dataDir: string) => `-Dshopfloor.registry.dir=${dataDir}`;

export function readPid(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(registryFiles(dataDir).pid, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function readState(dataDir: string): RegistryState | undefined {
  try {
    return JSON.parse(readFileSync(registryFiles(dataDir).state, 'utf8')) as RegistryState;
  } catch {
    return undefined;
  }
}

export function writeState(dataDir: string, state: RegistryState): void {
  const files = registryFiles(dataDir);
  writeFileSync(files.state, `${JSON.stringify(state, null, 2)}\n`);
  writeFileSync(files.pid, `${state.pid}\n`);
}

export function clearState(dataDir: string): void {
  const files = registryFiles(dataDir);
  rmSync(files.pid, { force: true });
  rmSync(files.state, { force: true });
}

/** The last `bytes` of registry.log, for error messages. */
export function logTail(dataDir: string, bytes = 4_000): string {
  let fd: number | undefined;
  try {
    fd = openSync(registryFiles(dataDir).log, 'r');
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } catch {
    return '(no registry.log)';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
