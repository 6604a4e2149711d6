import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = 'member-id';

/**
 * The id of this process as a stream member, kept in its state directory so that it survives a
 * restart (as Kafka Streams keeps its process id): the member's transactional id is built from it,
 * so a restarted process fences its zombie and aborts the transaction it left open at once. If the
 * file is lost, a new id is made; the old id's open transaction is then aborted by the broker only
 * after the transaction timeout, and the partitions it held wait that long (their read_committed
 * restore and their stable offset fetch both wait for it).
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
