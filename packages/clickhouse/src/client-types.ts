import type { ClickHouseSettings } from '@clickhouse/client';
import type { DedupLogRepair } from './dedup-log-repair.ts';
import type { EmbeddedEngineLimits } from './embedded-engine.ts';

// The ports every ClickHouse user codes against; client.ts opens them (embedded engine or HTTP).
export type ClickHouseMode = 'embedded' | 'http';

export interface ClickHouseConfig {
  /** ClickHouse server HTTP(S) URL. Undefined selects the embedded engine (chdb) in `dataDir`. */
  url?: string | undefined;
  /** On-disk data directory of the embedded engine. Ignored in http mode. */
  dataDir: string;
  /** Database to use; created if missing. Default: the server's `default`. */
  database?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  /** Memory bounds of the embedded engine (server settings at its start). Ignored in http mode. */
  engine?: EmbeddedEngineLimits | undefined;
  /**
   * Embedded mode: how many chdb sessions share the engine, so that statements run side by side
   * (a short insert or query does not wait behind a bulk insert). Default 1: one serial session.
   * Ignored in http mode.
   */
  sessions?: number | undefined;
  /**
   * Embedded mode: sessions beside `sessions` that only the reader's statements use, so an API read
   * never queues behind the writer's inserts. Default 0: reads and writes share every session.
   */
  readSessions?: number | undefined;
}

/** Server-side `{name:Type}` parameters and per-statement settings of one statement. */
export interface StatementOptions {
  params?: Record<string, unknown> | undefined;
  settings?: ClickHouseSettings | undefined;
  signal?: AbortSignal | undefined;
}

export type Row = Record<string, unknown>;

/**
 * Read-only access: the query service gets only this. Rows come back as JSONEachRow objects;
 * 64-bit integers may be numbers (chdb) or strings (HTTP server), so parse them with z.coerce.
 */
export interface ClickHouseReader {
  readonly mode: ClickHouseMode;
  query(sql: string, options?: StatementOptions): Promise<Row[]>;
}

export type InsertFormat = 'JSONEachRow' | 'JSONCompactEachRow' | 'TabSeparated';

export interface InsertRequest {
  table: string;
  columns: readonly string[];
  format: InsertFormat;
  /** Objects (JSONEachRow), arrays in column order (JSONCompactEachRow) or an encoded body (TabSeparated). */
  values: readonly unknown[] | string;
  settings?: ClickHouseSettings | undefined;
}

/** Inserts and DDL. A writer can also read (migrations and the projector's start-up need it). */
export interface ClickHouseWriter extends ClickHouseReader {
  insert(request: InsertRequest): Promise<void>;
  command(sql: string, options?: StatementOptions): Promise<void>;
}

export type PingResult = { ok: true } | { ok: false; error: Error };

export interface ClickHouseHandle {
  readonly mode: ClickHouseMode;
  readonly reader: ClickHouseReader;
  readonly writer: ClickHouseWriter;
  /**
   * Embedded mode: the deduplication-log entries the open repaired (block ids whose part a crash
   * lost, dedup-log-repair.ts); empty when none, in http mode, and at a later open in the process.
   */
  readonly dedupRepairs: readonly DedupLogRepair[];
  ping(): Promise<PingResult>;
  close(): Promise<void>;
}
