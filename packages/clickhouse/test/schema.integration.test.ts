import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EventChangeRow,
  insertBatchEvents,
  insertEventChanges,
  insertRejectedEvents,
  loadMigrations,
  migrate,
  queryEventWinner,
  queryRecordedBatch,
  queryRejectedEvents,
  type RejectedEventRow,
  readSinkOffsets,
  writeSinkOffsets,
} from '../src/index.ts';
import {
  type EmbeddedClickHouse,
  insertEventChangesTabSeparated,
  startEmbeddedClickHouse,
} from '../src/testing/index.ts';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0, 0);

function change(overrides: Partial<EventChangeRow> = {}): EventChangeRow {
  return {
    sign: 1,
    eventId: 'e-1',
    eventTimeMs: T0 + 1_234,
    machineId: 'M-1',
    lineId: 'L-1',
    factoryId: 'F-1',
    durationMs: 500,
    defectCount: 2,
    receivedAt: T0 + 5_000,
    version: 1,
    ...overrides,
  };
}

let ch: EmbeddedClickHouse;

beforeAll(async () => {
  ch = await startEmbeddedClickHouse({ migrate: false });
});

afterAll(async () => {
  await ch?.stop();
});

async function counts() {
  const [row] = await ch.reader.query(`SELECT
    (SELECT count() FROM event_changes) AS changes,
    (SELECT count() FROM events) AS events,
    (SELECT sum(events_count) FROM machine_minute_stats) AS machineEvents,
    (SELECT sum(defects_count) FROM machine_minute_stats) AS machineDefects,
    (SELECT sum(events_count) FROM line_minute_stats) AS lineEvents,
    (SELECT sum(defects_count) FROM line_minute_stats) AS lineDefects,
    (SELECT count() FROM event_changes_by_factory) AS byFactory`);
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}

describe('migrations', () => {
  it('apply every file once and are a no-op the second time', async () => {
    const files = await loadMigrations();
    const first = await migrate(ch.writer);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await migrate(ch.writer);
    expect(second.applied).toEqual([]);
    const tables = await ch.reader.query(
      "SELECT name FROM system.tables WHERE database = currentDatabase() AND name NOT LIKE '.inner%' ORDER BY name",
    );
    expect(tables.map((t) => t.name)).toEqual([
      'batch_events',
      'event_changes',
      'event_changes_by_factory',
      'event_changes_by_factory_mv',
      'events',
      'events_mv',
      'line_minute_stats',
      'line_minute_stats_mv',
      'log_identity',
      'machine_minute_stats',
      'machine_minute_stats_mv',
      'metric_events',
      'metric_failed_events',
      'metric_minute_totals',
      'metric_minute_totals_mv',
      'outcome_10s_stats',
      'outcome_10s_stats_mv',
      'rejected_events',
      'schema_migrations',
      'sensor_alert_resolutions',
      'sensor_alerts',
      'sensor_batch_readings',
      'sensor_minute_stats',
      'sensor_minute_stats_mv',
      'sensor_readings',
      'sensor_series',
      'sensor_series_mv',
      'sink_offsets',
    ]);
    const recorded = await ch.reader.query('SELECT count() AS n FROM schema_migrations FINAL');
    expect(Number(recorded[0]?.n)).toBe(files.length);
  });

  it('the sensor tables and sink_offsets merge at merge_selector_base 10 (0050), no other table', async () => {
    const tables = await ch.reader.query(
      `SELECT name FROM system.tables
       WHERE database = currentDatabase() AND engine LIKE '%MergeTree'
         AND create_table_query LIKE '%merge_selector_base = 10%' ORDER BY name`,
    );
    expect(tables.map((t) => t.name)).toEqual([
      'sensor_alert_resolutions',
      'sensor_alerts',
      'sensor_batch_readings',
      'sensor_minute_stats',
      'sensor_readings',
      'sensor_series',
      'sink_offsets',
    ]);
  });

  it('re-running every statement of every file is harmless (IF NOT EXISTS)', async () => {
    for (const migration of await loadMigrations()) {
      for (const statement of migration.statements) await ch.writer.command(statement);
    }
  });
});

describe('event_changes and its views', () => {
  it('ReplacingMergeTree keeps the latest version under FINAL', async () => {
    await insertEventChanges(ch.writer, [change({ eventId: 'r-1', version: 1, defectCount: 1 })], {
      dedupToken: 'replacing-1',
    });
    await insertEventChanges(ch.writer, [change({ eventId: 'r-1', version: 2, defectCount: 7 })], {
      dedupToken: 'replacing-2',
    });
    const raw = await ch.reader.query("SELECT count() AS n FROM events WHERE event_id = 'r-1'");
    expect(Number(raw[0]?.n)).toBe(2);
    expect(await queryEventWinner(ch.reader, 'r-1')).toMatchObject({ version: 2, defectCount: 7 });
  });

  it('a materialized view updates on insert', async () => {
    const before = await counts();
    await insertEventChanges(ch.writer, [change({ eventId: 'mv-1', defectCount: 3 })], {
      dedupToken: 'mv-1',
    });
    const after = await counts();
    expect(after.machineEvents).toBe((before.machineEvents ?? 0) + 1);
    expect(after.machineDefects).toBe((before.machineDefects ?? 0) + 3);
    expect(after.lineDefects).toBe((before.lineDefects ?? 0) + 3);
    expect(after.byFactory).toBe((before.byFactory ?? 0) + 1);
  });

  it('the same batch with the same token changes no table, another token inserts', async () => {
    const batch = [
      change({ eventId: 'd-1', defectCount: 1 }),
      change({ eventId: 'd-2', defectCount: -1, machineId: 'M-2', lineId: 'L-2' }),
      change({ eventId: 'd-3', defectCount: 4, eventTimeMs: T0 + 3_600_000 }),
    ];
    const before = await counts();
    await insertEventChanges(ch.writer, batch, { dedupToken: 'events.changes:0:100-102' });
    const once = await counts();
    expect(once.changes).toBe((before.changes ?? 0) + 3);
    expect(once.machineDefects).toBe((before.machineDefects ?? 0) + 5);
    await insertEventChanges(ch.writer, batch, { dedupToken: 'events.changes:0:100-102' });
    expect(await counts()).toEqual(once);
    // A replay re-formed in another wire format still carries the same token: still a no-op.
    await insertEventChanges(ch.writer, batch, {
      dedupToken: 'events.changes:0:100-102',
      format: 'JSONCompactEachRow',
    });
    expect(await counts()).toEqual(once);
    await insertEventChanges(ch.writer, batch, { dedupToken: 'events.changes:0:103-105' });
    const twice = await counts();
    expect(twice.changes).toBe((once.changes ?? 0) + 3);
    expect(twice.events).toBe((once.events ?? 0) + 3);
    expect(twice.machineEvents).toBe((once.machineEvents ?? 0) + 3);
    expect(twice.lineEvents).toBe((once.lineEvents ?? 0) + 3);
    expect(twice.byFactory).toBe((once.byFactory ?? 0) + 3);
  });

  it('a token does not stick to later statements of the embedded session', async () => {
    await ch.writer.command('CREATE TABLE IF NOT EXISTS scratch (id String) ENGINE = MergeTree ORDER BY id');
    const ins = (id: string, settings?: Record<string, string | number>) =>
      ch.writer.insert({
        table: 'scratch',
        columns: ['id'],
        format: 'JSONEachRow',
        values: [{ id }],
        settings,
      });
    await ins('a', { insert_deduplication_token: 'sticky' });
    await ins('b');
    await ins('c', { insert_deduplication_token: 'sticky-2' });
    await ch.reader.query('SELECT 1');
    await ins('d');
    const rows = await ch.reader.query('SELECT id FROM scratch ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    const [setting] = await ch.reader.query("SELECT getSetting('insert_deduplication_token') AS t");
    expect(setting?.t).toBe('');
  });

  it('rejects invalid rows before sending anything', async () => {
    await expect(
      insertEventChanges(ch.writer, [change({ durationMs: -1 })], { dedupToken: 'bad' }),
    ).rejects.toMatchObject({ code: 'CLICKHOUSE_INVALID_ROW' });
    await expect(insertEventChanges(ch.writer, [change()], { dedupToken: '' })).rejects.toMatchObject({
      code: 'CLICKHOUSE_INVALID_ROW',
    });
  });

  it('round-trips times from 1900 on through both wire formats (calendar form before 2001)', async () => {
    const times = [
      Date.UTC(1900, 0, 1),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(1999, 5, 1, 12, 0, 0, 7),
      Date.UTC(2001, 8, 9, 1, 46, 40, 1),
      T0 + 123,
    ];
    for (const format of ['TabSeparated', 'JSONCompactEachRow'] as const) {
      await insertEventChanges(
        ch.writer,
        times.map((t, i) => change({ eventId: `time-${format}-${i}`, eventTimeMs: t, receivedAt: t })),
        { dedupToken: `times-${format}`, format },
      );
      for (const [i, t] of times.entries()) {
        expect(await queryEventWinner(ch.reader, `time-${format}-${i}`)).toMatchObject({
          eventTimeMs: t,
          receivedAt: t,
        });
      }
    }
  });

  it('round-trips unusual ids through both wire formats', async () => {
    const ids = ['tab\\slash', 'ünïcødé-機械-🏭', 'quote\'"', 'x'.repeat(128)];
    await insertEventChanges(
      ch.writer,
      ids.map((id, i) => change({ eventId: `id-${i}-json`, machineId: id, version: i + 1 })),
      { dedupToken: 'ids-json', format: 'JSONCompactEachRow' },
    );
    await insertEventChangesTabSeparated(
      ch.writer,
      ids.map((id, i) => change({ eventId: `id-${i}-tsv`, machineId: id, version: i + 1 })),
      { dedupToken: 'ids-tsv' },
    );
    for (const [i, id] of ids.entries()) {
      expect(await queryEventWinner(ch.reader, `id-${i}-json`)).toMatchObject({ machineId: id });
      expect(await queryEventWinner(ch.reader, `id-${i}-tsv`)).toMatchObject({ machineId: id });
    }
  });

  it('checks rows against the contracts bounds (version from 1, durationMs up to 6 h)', async () => {
    for (const bad of [{ version: 0 }, { durationMs: 21_600_001 }, { machineId: '' }]) {
      await expect(
        insertEventChanges(ch.writer, [change(bad)], { dedupToken: 'bounds' }),
      ).rejects.toMatchObject({ code: 'CLICKHOUSE_INVALID_ROW' });
    }
  });
});

describe('batch_events', () => {
  it('reports counts, rejections and completeness; a replayed outcome is counted once', async () => {
    const at = T0;
    await insertBatchEvents(ch.writer, [
      { batchId: 'b-1', seq: 0, batchSize: 4, eventId: 'e-1', decision: 'accepted', recordedAt: at },
      {
        batchId: 'b-1',
        seq: 2,
        batchSize: 4,
        eventId: null,
        decision: 'rejected',
        reason: 'INVALID_ID',
        recordedAt: at,
      },
    ]);
    let outcome = await queryRecordedBatch(ch.reader, 'b-1');
    expect(outcome).toMatchObject({ batchSize: 4, recorded: 2 });
    await insertBatchEvents(ch.writer, [
      { batchId: 'b-1', seq: 1, batchSize: 4, eventId: 'e-2', decision: 'updated', recordedAt: at },
      { batchId: 'b-1', seq: 0, batchSize: 4, eventId: 'e-1', decision: 'accepted', recordedAt: at + 1 },
      {
        batchId: 'b-1',
        seq: 3,
        batchSize: 4,
        eventId: 'e-4',
        decision: 'rejected',
        reason: 'INVALID_DURATION',
        recordedAt: at,
      },
    ]);
    outcome = await queryRecordedBatch(ch.reader, 'b-1');
    expect(outcome).toEqual({
      batchId: 'b-1',
      batchSize: 4,
      recorded: 4,
      counts: { accepted: 1, deduped: 0, updated: 1, stale: 0, rejected: 2 },
      rejections: [
        { seq: 2, eventId: null, reason: 'INVALID_ID' },
        { seq: 3, eventId: 'e-4', reason: 'INVALID_DURATION' },
      ],
    });
    expect(await queryRecordedBatch(ch.reader, 'unknown')).toMatchObject({
      batchSize: null,
      recorded: 0,
    });
  });
});

describe('batch_events, TabSeparated', () => {
  it('round-trips NULL, a literal \\N, escapes and unusual ids, validated or not', async () => {
    const ids = [null, '\\N', 'tab\there', 'back\\slash', 'new\nline', 'ünïcødé-機械-🏭', 'x'.repeat(128)];
    const rows = ids.map((eventId, seq) => ({
      batchId: 'b-tsv',
      seq,
      batchSize: ids.length,
      eventId,
      decision: 'rejected' as const,
      reason: 'INVALID_ID',
      recordedAt: T0,
    }));
    await insertBatchEvents(ch.writer, rows.slice(0, 3), { dedupToken: 'tsv-1' });
    await insertBatchEvents(ch.writer, rows.slice(3), { dedupToken: 'tsv-2', validate: false });
    const outcome = await queryRecordedBatch(ch.reader, 'b-tsv');
    expect(outcome.recorded).toBe(ids.length);
    expect(outcome.rejections.map((r) => r.eventId)).toEqual(ids);
  });
});

describe('rejected_events', () => {
  it('lists dead letters newest first or by batch, once per (batch, seq)', async () => {
    const rows: RejectedEventRow[] = [
      {
        batchId: 'b-9',
        seq: 0,
        eventId: 'e-9',
        reason: 'INVALID_DURATION',
        message: 'durationMs -5 is negative',
        payload: '{"eventId":"e-9","durationMs":-5}',
        receivedAt: T0,
      },
      {
        batchId: 'b-9',
        seq: 1,
        eventId: null,
        reason: 'INVALID_ID',
        message: 'eventId missing',
        payload: '{}',
        receivedAt: T0,
      },
      {
        batchId: 'b-10',
        seq: 0,
        eventId: 'x',
        reason: 'FUTURE_EVENT_TIME',
        message: 'too far ahead',
        payload: '{"eventId":"x"}',
        receivedAt: T0 + 1,
      },
    ];
    await insertRejectedEvents(ch.writer, rows, { dedupToken: 'dlq:0:0-2' });
    await insertRejectedEvents(ch.writer, rows, { dedupToken: 'dlq:0:0-2' });
    await insertRejectedEvents(ch.writer, rows.slice(0, 1), { dedupToken: 'dlq:other' });
    const all = await queryRejectedEvents(ch.reader, { limit: 10 });
    expect(all.map((r) => `${r.batchId}/${r.seq}`)).toEqual(['b-10/0', 'b-9/0', 'b-9/1']);
    const batch = await queryRejectedEvents(ch.reader, { limit: 10, batchId: 'b-9' });
    expect(batch).toEqual(rows.slice(0, 2));
    expect(await queryRejectedEvents(ch.reader, { limit: 1 })).toHaveLength(1);
  });
});

describe('sink_offsets', () => {
  it('returns the latest marker per partition, also when two share a millisecond', async () => {
    const topic = 'events.changes';
    const marker = (partition: number, minOffset: number, maxOffset: number, updatedAt = T0) => ({
      topic,
      partition,
      minOffset,
      maxOffset,
      updatedAt,
    });
    await writeSinkOffsets(ch.writer, [marker(0, 0, 9), marker(1, 5, 7)]);
    await writeSinkOffsets(ch.writer, [marker(0, 10, 12)]);
    await writeSinkOffsets(ch.writer, [{ ...marker(0, 1, 2), topic: 'other' }]);
    expect(await readSinkOffsets(ch.reader, topic)).toEqual([marker(0, 10, 12), marker(1, 5, 7)]);
    // A later marker time wins over an earlier one written after it.
    await writeSinkOffsets(ch.writer, [marker(1, 8, 9, T0 + 1)]);
    await writeSinkOffsets(ch.writer, [marker(1, 0, 1, T0 - 1)]);
    expect((await readSinkOffsets(ch.reader, topic))[1]).toEqual(marker(1, 8, 9, T0 + 1));
    // The same markers written again (a retry, same token) land again: never dropped as duplicates.
    await writeSinkOffsets(ch.writer, [marker(0, 0, 9, T0 + 2)], { dedupToken: 'g1:marker' });
    await writeSinkOffsets(ch.writer, [marker(0, 13, 14, T0 + 2)], { dedupToken: 'g1:marker' });
    expect((await readSinkOffsets(ch.reader, topic))[0]).toEqual(marker(0, 13, 14, T0 + 2));
  });

  it('has no state column any more (migration 0008)', async () => {
    const columns = await ch.reader.query(
      "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'sink_offsets' ORDER BY position",
    );
    expect(columns.map((c) => c.name)).toEqual([
      'topic',
      'partition',
      'min_offset',
      'max_offset',
      'updated_at',
    ]);
  });
});

describe('handle', () => {
  it('pings and runs server-side parameters of every type used', async () => {
    expect(await ch.handle.ping()).toEqual({ ok: true });
    const [row] = await ch.reader.query(
      "SELECT {s:String} AS s, {n:UInt32} AS n, fromUnixTimestamp64Milli({ms:Int64}, 'UTC') AS t",
      { params: { s: "it's a \\ 'test'", n: 7, ms: T0 + 1 } },
    );
    expect(row).toEqual({ s: "it's a \\ 'test'", n: 7, t: '2026-01-05 10:00:00.001' });
  });
});
