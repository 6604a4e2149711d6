-- Batch outcomes per 10 seconds, decision and reason: the dashboard's ingest rate and rejections by
-- reason without scanning batch_events (which is ordered by batch id, not by time). Fed by every
-- insert into batch_events; a replayed insert carries the same deduplication token, so this view
-- drops it too. recorded_at is the time the outcome was decided (the change record's timestamp).
-- Outcomes recorded before this migration ran are not in the rollup (it starts empty).
CREATE TABLE IF NOT EXISTS outcome_10s_stats
(
    bucket   DateTime('UTC'),
    decision LowCardinality(String),
    reason   LowCardinality(String),
    events   Int64
)
ENGINE = SummingMergeTree
ORDER BY (bucket, decision, reason)
SETTINGS non_replicated_deduplication_window = 1000
;
CREATE MATERIALIZED VIEW IF NOT EXISTS outcome_10s_stats_mv TO outcome_10s_stats AS
SELECT
    toStartOfInterval(recorded_at, INTERVAL 10 SECOND) AS bucket,
    decision,
    reason,
    toInt64(count()) AS events
FROM batch_events
GROUP BY bucket, decision, reason
;
