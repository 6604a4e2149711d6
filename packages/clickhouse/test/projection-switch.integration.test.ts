import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClickHouseWriter,
  createRebuildDatabase,
  type EventChangeRow,
  insertEventChanges,
  type ProjectionSchema,
  readProjectionSchema,
  rebuildDatabaseOf,
  recoverProjectionSwitch,
  switchToRebuiltTables,
  writerIntoDatabase,
} from '../src/index.ts';
import { type EmbeddedClickHouse, startEmbeddedClickHouse } from '../src/testing/index.ts';

// The switch of a rebuild on the embedded engine: views feed the tables bearing the names after it,
// and a crash at any statement inside it is repaired by recoverProjectionSwitch.

const T = Date.parse('2026-03-01T10:00:00Z');
const row = (eventId: string, machineId: string): EventChangeRow => ({
  sign: 1,
  eventId,
  eventTimeMs: T,
  machineId,
  lineId: 'L-1',
  factoryId: 'F-1',
  durationMs: 5,
  defectCount: 1,
  receivedAt: T,
  version: 1,
});

let ch: EmbeddedClickHouse;
let token = 0;
beforeAll(async () => {
  ch = await startEmbeddedClickHouse();
});
afterAll(async () => {
  await ch.stop();
});

const insert = (writer: ClickHouseWriter, rows: EventChangeRow[]) =>
  insertEventChanges(writer, rows, { dedupToken: `t${token++}` });

/** Machines per table of the serving projection: which generation each table holds. */
async function machinesPerTable() {
  const q = async (sql: string) => (await ch.reader.query(sql)).map((r) => String(r.m));
  return {
    changes: await q('SELECT DISTINCT machine_id AS m FROM event_changes ORDER BY m'),
    events: await q('SELECT DISTINCT machine_id AS m FROM events ORDER BY m'),
    machineMinutes: await q(
      'SELECT machine_id AS m FROM machine_minute_stats GROUP BY m HAVING sum(events_count) > 0 ORDER BY m',
    ),
  };
}

async function countsOf(machineId: string) {
  const [r] = await ch.reader.query(
    `SELECT (SELECT count() FROM event_changes WHERE machine_id = {m:String}) AS changes,
            (SELECT count() FROM events WHERE machine_id = {m:String}) AS events,
            (SELECT sum(events_count) FROM machine_minute_stats WHERE machine_id = {m:String}) AS minutes,
            (SELECT sum(events_count) FROM line_minute_stats WHERE line_id = 'L-1') AS lines,
            (SELECT sum(sign) FROM event_changes_by_factory WHERE factory_id = 'F-1') AS factory`,
    { params: { m: machineId } },
  );
  return r;
}

/** A writer that fails the statement matching `failAt` (a crash inside the switch). */
function crashingAt(writer: ClickHouseWriter, failAt: RegExp): ClickHouseWriter {
  return {
    ...writer,
    command: async (sql, options) => {
      if (failAt.test(sql)) throw new Error(`crash before: ${sql.slice(0, 40)}`);
      return writer.command(sql, options);
    },
  };
}

async function prepare(generation: string): Promise<ProjectionSchema> {
  await ch.writer.command('TRUNCATE TABLE event_changes');
  for (const t of ['events', 'machine_minute_stats', 'line_minute_stats', 'event_changes_by_factory'])
    await ch.writer.command(`TRUNCATE TABLE ${t}`);
  await insert(ch.writer, [row(`${generation}-old`, `OLD-${generation}`)]);
  const serving = await readProjectionSchema(ch.writer, 'default');
  const rebuild = await createRebuildDatabase(ch.writer, serving);
  await insert(writerIntoDatabase(ch.writer, rebuild), [row(`${generation}-new`, `NEW-${generation}`)]);
  return serving;
}

describe('the projection switch', () => {
  it('finds every table and view derived from the projector roots', async () => {
    const schema = await readProjectionSchema(ch.reader, 'default');
    expect(schema.tables.map((t) => t.name)).toEqual([
      'batch_events',
      'event_changes',
      'event_changes_by_factory',
      'events',
      'line_minute_stats',
      'machine_minute_stats',
      'outcome_10s_stats',
      'rejected_events',
    ]);
    expect(schema.views.map((v) => v.name)).toEqual([
      'event_changes_by_factory_mv',
      'events_mv',
      'line_minute_stats_mv',
      'machine_minute_stats_mv',
      'outcome_10s_stats_mv',
    ]);
  });

  it('serves the rebuilt tables, whose views then feed them once, and drops the old ones', async () => {
    const serving = await prepare('a');
    await switchToRebuiltTables(ch.writer, serving);
    expect(await machinesPerTable()).toEqual({
      changes: ['NEW-a'],
      events: ['NEW-a'],
      machineMinutes: ['NEW-a'],
    });
    await insert(ch.writer, [row('a-after', 'AFTER-a')]);
    expect(await countsOf('AFTER-a')).toEqual({ changes: 1, events: 1, minutes: 1, lines: 2, factory: 2 });
    const dbs = await ch.reader.query('SELECT name FROM system.databases WHERE name = {n:String}', {
      params: { n: rebuildDatabaseOf('default') },
    });
    expect(dbs).toEqual([]);
    expect((await readProjectionSchema(ch.reader, 'default')).views).toHaveLength(5);
  });

  it('drops a rebuild database left by a crash mid-copy at start-up, serving tables untouched', async () => {
    const serving = await prepare('m');
    const before = await machinesPerTable();
    expect(await recoverProjectionSwitch(ch.writer)).toEqual([]);
    expect(await machinesPerTable()).toEqual(before);
    const dbs = await ch.reader.query('SELECT name FROM system.databases WHERE name = {n:String}', {
      params: { n: rebuildDatabaseOf(serving.database) },
    });
    expect(dbs).toEqual([]);
  });

  for (const [where, failAt, generation] of [
    ['after the views were dropped, before the exchange', /^EXCHANGE TABLES/, 'OLD'],
    ['after the exchange, before any view is re-created', /^CREATE MATERIALIZED VIEW default\./, 'NEW'],
    ['after the exchange, before the rebuild database is dropped', /^DROP DATABASE/, 'NEW'],
  ] as const) {
    it(`recovers a switch cut short ${where}: whole tables of one generation, every view back`, async () => {
      const g = `c${token}`;
      const serving = await prepare(g);
      await expect(switchToRebuiltTables(crashingAt(ch.writer, failAt), serving)).rejects.toThrow(/crash/);
      await recoverProjectionSwitch(ch.writer);
      const expected = [`${generation}-${g}`];
      expect(await machinesPerTable()).toEqual({
        changes: expected,
        events: expected,
        machineMinutes: expected,
      });
      await insert(ch.writer, [row(`${g}-after`, `AFTER-${g}`)]);
      expect(await countsOf(`AFTER-${g}`)).toEqual({
        changes: 1,
        events: 1,
        minutes: 1,
        lines: 2,
        factory: 2,
      });
      expect((await readProjectionSchema(ch.reader, 'default')).views).toHaveLength(5);
      expect(await recoverProjectionSwitch(ch.writer)).toEqual([]);
    });
  }
});
