import { withParamLock } from '@shopfloor/clickhouse';
import { Session } from 'chdb';
import { ClickHouseProtocolError } from './clickhouse-error.ts';

export interface BiLimits {
  maxExecutionTimeS: number;
  maxResultRows: number;
  maxMemoryBytes: number;
}

export interface EngineResult {
  body: Buffer;
  rowsRead: number;
  bytesRead: number;
  elapsedS: number;
}

export interface StatementRequest {
  sql: string;
  format: string;
  database: string;
  params: Record<string, string>;
  settings: Record<string, string>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Two connections of their own to the embedded engine's data directory (chdb lets several
 * connections share the one engine of a process, each with its own settings and current
 * database). Both are read-only (`readonly = 1`, which also forbids changing any setting after it,
 * so a client cannot lift the bounds). `runner` runs the clients' statements under the bounds;
 * `inspector` runs the EXPLAINs that decide what a statement may touch. Calls are serialized: the
 * current database and the per-request settings are connection state.
 */
export class BiEngine {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly current = new Map<Session, string>();

  private constructor(
    private readonly runner: Session,
    private readonly inspector: Session,
    readonly version: string,
    readonly timezone: string,
  ) {}

  static async open(dataDir: string, limits: BiLimits, database: string): Promise<BiEngine> {
    const runner = new Session(dataDir);
    const inspector = new Session(dataDir);
    try {
      const bounds = [
        `max_execution_time = ${limits.maxExecutionTimeS}`,
        `max_result_rows = ${limits.maxResultRows}`,
        "result_overflow_mode = 'throw'",
        `max_memory_usage = ${limits.maxMemoryBytes}`,
      ];
      await runner.queryAsync(`SET ${bounds.join(', ')}`);
      await inspector.queryAsync(`SET max_execution_time = ${limits.maxExecutionTimeS}`);
      for (const session of [runner, inspector]) await session.queryAsync('SET readonly = 1');
      const about = await runner.queryAsync('SELECT version(), timezone()', { format: 'TabSeparated' });
      const [version = '', timezone = 'UTC'] = about.text().trim().split('\t');
      const engine = new BiEngine(runner, inspector, version, timezone);
      await engine.use(runner, database);
      await engine.use(inspector, database);
      return engine;
    } catch (err) {
      runner.close();
      inspector.close();
      throw err;
    }
  }

  /** Runs `fn` alone on the engine connections (one request at a time). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** EXPLAIN output lines of `kind` ('AST' or 'QUERY TREE') for a statement, in `database`. */
  async explain(kind: 'AST' | 'QUERY TREE', request: StatementRequest): Promise<string[]> {
    await this.use(this.inspector, request.database);
    const text = (
      await this.call(this.inspector, `EXPLAIN ${kind} ${request.sql}`, request.params, 'TabSeparatedRaw')
    ).body.toString('utf8');
    return text.split('\n').filter((line) => line.length > 0);
  }

  /** Runs a statement on the bounded connection; per-request settings go through SET first. */
  async run(request: StatementRequest): Promise<EngineResult> {
    await this.use(this.runner, request.database);
    for (const [name, value] of Object.entries(request.settings)) {
      if (!NAME.test(name)) throw ClickHouseProtocolError.of('SYNTAX_ERROR', `Invalid setting name ${name}`);
      // readonly = 1: the engine refuses any change of a setting (and accepts its current value).
      await this.call(
        this.runner,
        `SET ${name} = '${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
        {},
      );
    }
    return this.call(this.runner, request.sql, request.params, request.format);
  }

  close(): void {
    this.runner.close();
    this.inspector.close();
  }

  private async use(session: Session, database: string): Promise<void> {
    if (this.current.get(session) === database) return;
    if (!NAME.test(database)) {
      throw ClickHouseProtocolError.of('UNKNOWN_DATABASE', `Database ${database} does not exist`);
    }
    await this.call(session, `USE ${database}`, {});
    this.current.set(session, database);
  }

  private async call(
    session: Session,
    sql: string,
    params: Record<string, string>,
    format = 'TabSeparated',
  ): Promise<EngineResult> {
    try {
      const result =
        Object.keys(params).length > 0
          ? await withParamLock(() => session.queryBindAsync(sql, params, { format }))
          : await session.queryAsync(sql, { format });
      const bytes = result.bytes();
      return {
        body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        rowsRead: result.rowsRead,
        bytesRead: result.bytesRead,
        elapsedS: result.elapsed,
      };
    } catch (err) {
      throw ClickHouseProtocolError.fromEngine(err);
    }
  }
}
