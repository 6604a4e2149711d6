import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = 'member-id';

/** The kept id, or undefined when there is none or it is damaged. */
function readMemberId(file: string): string | undefined {
  try {
    const id = readFileSync(file, 'utf8').trim();
    return /^[A-Za-z0-9-]{8,64}$/.test(id) ? id : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}

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
 *
 * Processes that share the directory and start together (a consumer and a projector on their first
 * start) get the same id: the first to create the file wins and the others read it.
 */
export function loadMemberId(dir: string): string {
  const file = path.join(dir, FILE);
  const kept = readMemberId(file);
  if (kept) return kept;
  mkdirSync(dir, { recursive: true });
  const id = randomUUID();
  // A name of its own: two starters writing one tmp file could leave the file with the other's id.
  const tmp = `${file}.${process.pid}-${randomUUID()}.tmp`;
  writeFileSync(tmp, `${id}\n`);
  try {
    // A link, unlike a rename, never replaces: the file is whole or absent after a crash, and an
    // EEXIST means another starter got there first.
    linkSync(tmp, file);
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = readMemberId(file);
    if (theirs) return theirs;
    renameSync(tmp, file); // a damaged file is replaced
    return id;
  } finally {
    rmSync(tmp, { force: true });
  }
}
