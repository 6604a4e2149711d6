/** The Content-Type ClickHouse's HTTP interface gives a result in `format`. */
export function contentTypeOf(format: string): string {
  if (/^(JSON|NDJSON|JSONL)/i.test(format)) return 'application/json; charset=UTF-8';
  if (/^(TabSeparated|TSV)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8';
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8; header=absent';
  if (/^XML$/i.test(format)) return 'application/xml; charset=UTF-8';
  if (/^(RowBinary|Native|Parquet|Arrow|ORC|Avro|MsgPack|Protobuf|CapnProto|Npy|BSONEachRow)/i.test(format)) {
    return 'application/octet-stream';
  }
  return 'text/plain; charset=UTF-8';
}

/** X-ClickHouse-Summary. The embedded engine reports rows and bytes read, not result rows. */
export function summaryHeader(s: {
  rowsRead: number;
  bytesRead: number;
  resultBytes: number;
  elapsedS: number;
}) {
  return JSON.stringify({
    read_rows: String(s.rowsRead),
    read_bytes: String(s.bytesRead),
    written_rows: '0',
    written_bytes: '0',
    total_rows_to_read: String(s.rowsRead),
    result_rows: '0',
    result_bytes: String(s.resultBytes),
    elapsed_ns: String(Math.round(s.elapsedS * 1e9)),
  });
}
