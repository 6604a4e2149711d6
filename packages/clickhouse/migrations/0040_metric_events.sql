-- The metric-events stream: every event the processor counted (one row per identity: duplicates
-- and failures never get here). The projector inserts with a deduplication token per recorded
-- offset range, so a replayed group is a no-op here and in the rollup below.
CREATE TABLE IF NOT EXISTS metric_events
(
    id          String,
    client_id   String,
    source      Nullable(String),
    metric      LowCardinality(String),
    amount      Int64,
    ts          DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    request_id  String,
    seq         UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (client_id, ts, id)
SETTINGS non_replicated_deduplication_window = 1000
;
-- Minute totals per (client, metric). SummingMergeTree folds rows of one key on merge; queries
-- always sum(), so unmerged parts are fine. Int128 totals: no window of safe-integer amounts
-- can overflow.
CREATE TABLE IF NOT EXISTS metric_minute_totals
(
    client_id    String,
    metric       LowCardinality(String),
    minute       DateTime('UTC'),
    events_count UInt64,
    total_amount Int128
)
ENGINE = SummingMergeTree
ORDER BY (client_id, minute, metric)
SETTINGS non_replicated_deduplication_window = 1000
;
CREATE MATERIALIZED VIEW IF NOT EXISTS metric_minute_totals_mv TO metric_minute_totals AS
SELECT
    client_id,
    metric,
    toStartOfMinute(ts) AS minute,
    toUInt64(1) AS events_count,
    toInt128(amount) AS total_amount
FROM metric_events
