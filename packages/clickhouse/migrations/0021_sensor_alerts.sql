-- Alerts raised by the anomaly processor, one row per alert id (the id is a hash of the reading's
-- identity, so a replay or a rebuild raises the same id and ReplacingMergeTree collapses it).
CREATE TABLE IF NOT EXISTS sensor_alerts
(
    alert_id       String,
    reading_key    String,
    reading_id     Nullable(String),
    equipment_id   LowCardinality(String),
    sensor_type    LowCardinality(String),
    severity       LowCardinality(String),
    value          Float64,
    unit           LowCardinality(String),
    z_score        Nullable(Float64),
    mean           Float64,
    stddev         Float64,
    baseline_count UInt32,
    reading_ts     DateTime64(3, 'UTC'),
    raised_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY alert_id
SETTINGS non_replicated_deduplication_window = 1000
;
-- Resolutions are events of their own topic (they survive a rebuild). Several resolutions of one
-- alert may be in the log (two operators at once): the earliest wins (argMin in the queries), so
-- the answer does not depend on the order the projector sees the two topics in.
CREATE TABLE IF NOT EXISTS sensor_alert_resolutions
(
    alert_id    String,
    resolved_by String,
    note        Nullable(String),
    resolved_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (alert_id, resolved_at)
SETTINGS non_replicated_deduplication_window = 1000
