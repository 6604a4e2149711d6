-- Per-minute rollups. Each change row contributes sign to events_count and sign * defect_count
-- to defects_count (defect_count = -1, unknown, counts as an event but never as defects), so a
-- retraction (-1) cancels the old version's contribution exactly. SummingMergeTree folds rows
-- with the same key during merges; queries always sum(), so unmerged parts are fine.
CREATE TABLE IF NOT EXISTS machine_minute_stats
(
    machine_id    LowCardinality(String),
    minute        DateTime('UTC'),
    events_count  Int64,
    defects_count Int64
)
ENGINE = SummingMergeTree
ORDER BY (machine_id, minute)
SETTINGS non_replicated_deduplication_window = 1000
;
CREATE MATERIALIZED VIEW IF NOT EXISTS machine_minute_stats_mv TO machine_minute_stats AS
SELECT
    machine_id,
    toStartOfMinute(event_time) AS minute,
    toInt64(sign) AS events_count,
    toInt64(if(defect_count >= 0, sign * defect_count, 0)) AS defects_count
FROM event_changes
;
CREATE TABLE IF NOT EXISTS line_minute_stats
(
    factory_id    LowCardinality(String),
    line_id       LowCardinality(String),
    minute        DateTime('UTC'),
    events_count  Int64,
    defects_count Int64
)
ENGINE = SummingMergeTree
ORDER BY (factory_id, line_id, minute)
SETTINGS non_replicated_deduplication_window = 1000
;
CREATE MATERIALIZED VIEW IF NOT EXISTS line_minute_stats_mv TO line_minute_stats AS
SELECT
    factory_id,
    line_id,
    toStartOfMinute(event_time) AS minute,
    toInt64(sign) AS events_count,
    toInt64(if(defect_count >= 0, sign * defect_count, 0)) AS defects_count
FROM event_changes
;
