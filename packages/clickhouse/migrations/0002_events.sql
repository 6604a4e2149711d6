-- The winners: one row per event_id after merges; `SELECT ... FROM events FINAL` is the current
-- winner of every event. Filled only by events_mv from the +1 rows of event_changes; the
-- retracted version is replaced because the new winner carries a higher version.
CREATE TABLE IF NOT EXISTS events
(
    event_id     String,
    event_time   DateTime64(3, 'UTC'),
    machine_id   LowCardinality(String),
    line_id      LowCardinality(String),
    factory_id   LowCardinality(String),
    duration_ms  UInt32,
    defect_count Int32,
    received_at  DateTime64(3, 'UTC'),
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY event_id
SETTINGS non_replicated_deduplication_window = 1000
;
CREATE MATERIALIZED VIEW IF NOT EXISTS events_mv TO events AS
SELECT event_id, event_time, machine_id, line_id, factory_id, duration_ms, defect_count, received_at, version
FROM event_changes
WHERE sign = 1
;
