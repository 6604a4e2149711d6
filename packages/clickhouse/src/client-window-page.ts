// The listings of the metric-events tables share one filter: an optional client, an optional
// [from, to) window on a time column, a keyset position and a limit. Every filter is a
// server-side parameter; an absent one is a bound that matches all.

/** One newest-first page, after the keyset position `after` (the last row of the previous page). */
export type ClientWindowPageQuery<After> = {
  clientId?: string | undefined;
  /** Inclusive. */
  fromMs?: number | undefined;
  /** Exclusive. */
  toMs?: number | undefined;
  after?: After | undefined;
  limit: number;
};

/**
 * The WHERE terms of the client and window filters on `timeColumn` (`{first:UInt8}` is 1 when there
 * is no position to start after) and their parameters, `{limit:UInt32}` included.
 */
export function clientWindowPage(timeColumn: string, q: ClientWindowPageQuery<unknown>) {
  return {
    where: `({anyClient:UInt8} = 1 OR client_id = {clientId:String})
       AND ${timeColumn} >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
       AND ${timeColumn} < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`,
    params: {
      anyClient: q.clientId === undefined ? 1 : 0,
      clientId: q.clientId ?? '',
      from: q.fromMs ?? Date.UTC(1900, 0, 1),
      to: q.toMs ?? Date.UTC(2300, 0, 1),
      first: q.after === undefined ? 1 : 0,
      limit: q.limit,
    },
  };
}
