import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = 'member-id';

/**
 * The id of this process as a group member, kept in its state directory so that it survives a
 * restart (as Kafka Streams keeps its process id). It is the member's static group instance id
 * (KIP-345, `groupInstanceId` of the patched kafkajs), so a restarted process takes its dead self's
 * place and partitions at once, with no rebalance; and a stream member's transactional id is built
 * from it, so a restarted process fences its zombie and aborts the transaction it left open at once.
 * Two live processes with one id (one data dir and SHOPFLOOR_INSTANCE_ID): the older is fenced
 * (FENCED_INSTANCE_ID) and its consumer stops. If the file is lost, a new id is made; the old id's
 * partitions then wait out its session, and its open transaction is aborted by the broker only
 * after the transaction timeout (their read_committed restore and stable offset fetch wait for it).
 */
export function loadMemberId(dir: string): string {
  const file = path.join(dir, FILE);
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9-]{8,64}$/.test(id)) return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = randomUUID();
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp`, `${id}\n`);
  renameSync(`${file}.tmp`, file); // whole or absent after a crash
  return id;
}
