/**
 * The engine's crash window this repairs (ClickHouse's MergeTreeSink::commitPart, as in chdb's
 * engine): a non-replicated MergeTree with `non_replicated_deduplication_window` writes an insert's
 * block id to its deduplication log BEFORE it renames the new part from `tmp_insert_*` to its
 * name. A process killed between the two restarts with the block id recorded and the part gone
 * (temporary directories are removed at start-up), and the engine does not check its log against
 * its parts. A retry with the same `insert_deduplication_token` (what every projector's recovery
 * sends) is then dropped as a duplicate of data that does not exist: the table misses the insert
 * for good, while the views' tables (logs and parts of their own) can be exact. Seen once under
 * `pnpm chaos` (README, "Fault injection"); reproduced by test/dedup-log-repair.integration.test.ts.
 *
 * The repair, before the engine opens the directory: every block id the logs still hold whose part
 * is neither on disk nor covered by a merged part on disk is forgotten, with a DROP record of the
 * engine's own format, so the retry inserts it again. The functions above `repairDedupLogs` are
 * pure; it is the adapter that reads and writes the files.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One line of a deduplication log: `<op>\t<part name>\t<block id>` (op 1 = ADD, 2 = DROP). */
export type DedupLogRecord = { op: 'add' | 'drop'; partName: string; blockId: string };

/** A part's name as the engine spells it: `<partition id>_<min block>_<max block>_<level>[_<mutation>]`. */
export type PartBlocks = { partitionId: string; minBlock: bigint; maxBlock: bigint };

const OPS: Record<string, DedupLogRecord['op']> = { '1': 'add', '2': 'drop' };
const PART_NAME = /^([^_]+)_(\d+)_(\d+)_(\d+)(?:_(\d+))?$/;

/**
 * The records of one log file, or undefined when a line is not one this repair understands (a
 * record kind of a newer engine, a line cut short): such a table is left as it is. A missing final
 * newline (a write cut short by the kill) ends the file without its last record, as the engine
 * reads it.
 */
export function parseDedupLog(text: string): DedupLogRecord[] | undefined {
  const records: DedupLogRecord[] = [];
  // The element after the last newline is empty or the cut-short record: neither is read.
  for (const line of text.split('\n').slice(0, -1)) {
    const [op, partName, blockId, ...rest] = line.split('\t');
    const kind = op === undefined ? undefined : OPS[op];
    if (!kind || !partName || !blockId || rest.length > 0) return undefined;
    records.push({ op: kind, partName, blockId });
  }
  return records;
}

/** The partition and block range of a part directory's name; undefined for anything else. */
export function partBlocks(name: string): PartBlocks | undefined {
  const m = PART_NAME.exec(name);
  if (!m) return undefined;
  return { partitionId: m[1] as string, minBlock: BigInt(m[2] as string), maxBlock: BigInt(m[3] as string) };
}

/**
 * The block ids the engine will still hold after replaying `records` (in file order, oldest log
 * first) whose part no directory in `partNames` holds: a part is held by itself or by any part of
 * the same partition whose block range covers its own (a merge, a mutation).
 */
export function lostBlocks(
  records: readonly DedupLogRecord[],
  partNames: readonly string[],
): DedupLogRecord[] {
  const held = new Map<string, DedupLogRecord>();
  for (const r of records) {
    if (r.op === 'add') held.set(r.blockId, r);
    else held.delete(r.blockId);
  }
  const parts = partNames.map(partBlocks).filter((p): p is PartBlocks => p !== undefined);
  return [...held.values()].filter((r) => {
    const own = partBlocks(r.partName);
    if (!own) return false; // not a name this repair understands: leave it
    return !parts.some(
      (p) => p.partitionId === own.partitionId && p.minBlock <= own.minBlock && own.maxBlock <= p.maxBlock,
    );
  });
}

/** The DROP records that make the engine forget `lost`, in its log format. */
export function dropRecords(lost: readonly DedupLogRecord[]): string {
  return lost.map((r) => `2\t${r.partName}\t${r.blockId}\n`).join('');
}

/** What the repair did to one table's log: the block ids it made the engine forget. */
export type DedupLogRepair = { tableDir: string; forgotten: DedupLogRecord[] };

const LOG_FILE = /^deduplication_log_(\d+)\.txt$/;

/**
 * Repairs the deduplication logs of every table of the engine's data directory (Atomic
 * databases: `store/<prefix>/<uuid>/`). Must run while no engine has the directory open: the
 * engine keeps its log in memory and only reads the files at start-up.
 */
export function repairDedupLogs(dataDir: string): DedupLogRepair[] {
  const store = join(dataDir, 'store');
  if (!existsSync(store)) return [];
  const repairs: DedupLogRepair[] = [];
  for (const prefix of readdirSync(store)) {
    for (const table of readdirSync(join(store, prefix))) {
      const tableDir = join(store, prefix, table);
      const repair = repairTableLog(tableDir);
      if (repair) repairs.push(repair);
    }
  }
  return repairs;
}

function repairTableLog(tableDir: string): DedupLogRepair | undefined {
  const logsDir = join(tableDir, 'deduplication_logs');
  if (!existsSync(logsDir)) return undefined;
  const logs = readdirSync(logsDir)
    .map((name) => ({ name, n: LOG_FILE.exec(name)?.[1] }))
    .filter((l): l is { name: string; n: string } => l.n !== undefined)
    .map((l) => ({ name: l.name, n: Number(l.n) }))
    .sort((a, b) => a.n - b.n);
  const records: DedupLogRecord[] = [];
  for (const log of logs) {
    const parsed = parseDedupLog(readFileSync(join(logsDir, log.name), 'utf8'));
    if (!parsed) return undefined; // a format this repair does not know: leave the table alone
    records.push(...parsed);
  }
  const lost = lostBlocks(records, readdirSync(tableDir));
  if (lost.length === 0) return undefined;
  // A log file of its own, numbered after the last: the engine reads the files in number order
  // (and appends to the last), and a file the kill cut short is not written after.
  const next = (logs.at(-1)?.n ?? 0) + 1;
  const fd = openSync(join(logsDir, `deduplication_log_${next}.txt`), 'wx');
  try {
    writeSync(fd, dropRecords(lost));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { tableDir, forgotten: lost };
}

/** One warning per table whose log the open repaired; nothing when there was none. */
export function reportDedupRepairs(
  repairs: readonly DedupLogRepair[],
  warn: (fields: Record<string, unknown>, message: string) => void,
): void {
  for (const r of repairs) {
    warn(
      { tableDir: r.tableDir, forgotten: r.forgotten.map((f) => f.partName) },
      'ClickHouse: the deduplication log held inserts whose parts a crash lost; forgotten, so their retries land',
    );
  }
}
