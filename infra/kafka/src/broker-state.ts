import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** What a running broker leaves in its data dir besides the pid file. */
export interface BrokerState {
  pid: number;
  port: number;
  controllerPort: number;
  clusterId: string;
  startedAt: string;
  version: string;
}

export function brokerFiles(dataDir: string) {
  return {
    pid: join(dataDir, 'broker.pid'),
    state: join(dataDir, 'broker.json'),
    log: join(dataDir, 'broker.log'),
    serverProperties: join(dataDir, 'server.properties'),
    log4j: join(dataDir, 'log4j.properties'),
    clusterId: join(dataDir, 'cluster.id'),
    logDir: join(dataDir, 'kraft'),
  };
}

export function readPid(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(brokerFiles(dataDir).pid, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function readState(dataDir: string): BrokerState | undefined {
  try {
    return JSON.parse(readFileSync(brokerFiles(dataDir).state, 'utf8')) as BrokerState;
  } catch {
    return undefined;
  }
}

export function writeState(dataDir: string, state: BrokerState): void {
  const files = brokerFiles(dataDir);
  writeFileSync(files.state, `${JSON.stringify(state, null, 2)}\n`);
  writeFileSync(files.pid, `${state.pid}\n`);
}

export function clearState(dataDir: string): void {
  const files = brokerFiles(dataDir);
  rmSync(files.pid, { force: true });
  rmSync(files.state, { force: true });
}

/** A Kafka cluster id: 16 random bytes, base64url without padding (as `kafka-storage random-uuid`). */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The cluster id is generated once per data dir and kept, since the storage is formatted with it. */
export function loadOrCreateClusterId(dataDir: string): string {
  const file = brokerFiles(dataDir).clusterId;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = newClusterId();
  writeFileSync(file, `${id}\n`);
  return id;
}

/** The last `bytes` of broker.log, for error messages. */
export function logTail(dataDir: string, bytes = 4_000): string {
  let fd: number | undefined;
  try {
    fd = openSync(brokerFiles(dataDir).log, 'r');
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } catch {
    return '(no broker.log)';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
