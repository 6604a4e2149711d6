import type { ClickHouseWriter, InsertRequest, StatementOptions, StatementPriority } from './client-types.ts';

/**
 * The same writer, its statements queued at `priority` in the embedded engine unless a statement
 * says otherwise: a latency-bound lane (the sensor alert projector: a marker and a 1-3 row insert
 * per group) gets its own view of the process's one writer instead of a second engine.
 */
export function withStatementPriority(
  writer: ClickHouseWriter,
  priority: StatementPriority,
): ClickHouseWriter {
  const at = (options: StatementOptions = {}): StatementOptions => ({
    ...options,
    priority: options.priority ?? priority,
  });
  return Object.freeze({
    mode: writer.mode,
    query: (sql: string, options?: StatementOptions) => writer.query(sql, at(options)),
    command: (sql: string, options?: StatementOptions) => writer.command(sql, at(options)),
    insert: (request: InsertRequest) => writer.insert({ ...request, priority: request.priority ?? priority }),
  });
}
