import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processFiles } from '@shopfloor/jvm-process';

/** What a running broker leaves in its data dir besides the pid file. */
export interface BrokerState {
  pid: number;
  port: number;
  controllerPort: number;
  clusterId: string;
  startedAt: string;
  version: string;
}

/** broker.pid, broker.json, broker.log, and the broker's own config and storage. */
export function brokerFiles(dataDir: string) {
  return {
    ...processFiles(dataDir, 'broker'),
    serverProperties: join(dataDir, 'server.properties'),
    log4j: join(dataDir, 'log4j.properties'),
    clusterId: join(dataDir, 'cluster.id'),
    logDir: join(dataDir, 'kraft'),
  };
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
