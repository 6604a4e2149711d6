// `@shopfloor/kafka/testing`: helpers for integration tests against the real broker started by the
// vitest global setup. They live here, not in @shopfloor/test-support, because this package's own
// tests need them and test-support depends on this package (a cycle would break turbo's graph).

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { createKafka } from './client.ts';
import type { KafkaClient } from './types.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}

export function testKafka(): KafkaClient {
  return createKafka({ brokers: inject('kafkaBrokers'), clientId: `kafka-it-${process.pid}` });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Appends `messages` to `topic` with a throwaway (non-transactional) producer. */
export async function produceRecords(
  kafka: KafkaClient,
  topic: string,
  messages: { key?: string; value: string | Buffer; partition?: number }[],
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

export interface ReadRecord {
  partition: number;
  offset: bigint;
  key: string | null;
  value: string | null;
  /** The value's bytes (Avro values are not text). */
  bytes: Buffer | null;
}

/**
 * Reads `topic` from the beginning with a throwaway consumer group until `until` holds for what was
 * read so far, or fails after `timeoutMs`.
 */
export async function readUntil(
  kafka: KafkaClient,
  topic: string,
  until: (records: ReadRecord[]) => boolean,
  options: { readUncommitted?: boolean; timeoutMs?: number } = {},
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    readUncommitted: options.readUncommitted ?? false,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          offset: BigInt(message.offset),
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          bytes: message.value ?? null,
        });
      },
    });
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    while (!until(records)) {
      if (Date.now() > deadline) {
        throw new Error(`readUntil(${topic}) timed out after reading ${records.length} records`);
      }
      await sleep(50);
    }
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** Polls `done` every 50 ms; fails after `timeoutMs`, naming `what` it waited for. */
export async function waitUntil(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * Runs `script` (a path from the repository root) in a node process of its own under the tsx
 * loader, its stderr shared with this one and each line of its stdout handed to `onLine` as it
 * comes. The caller stops it.
 */
export function tsxChild(
  script: string,
  args: readonly string[],
  onLine: (line: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout! }).on('line', onLine);
  return child;
}

export { type HandedBatch, recordingMember } from './recording-member.ts';
