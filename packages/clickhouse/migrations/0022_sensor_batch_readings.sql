-- Per-reading outcome of every webhook job (POST /api/webhook/sensor-data), for
-- GET /api/webhook/status/:jobId: accepted / deduped from sensor.readings, rejected from sensor.dlq.
-- A job is complete when it has batch_size distinct seqs. ReplacingMergeTree: a replayed outcome of
-- the same (batch_id, seq) collapses to one row (read with FINAL); inserts carry dedup tokens too.
CREATE TABLE IF NOT EXISTS sensor_batch_readings
(
    batch_id    String,
    seq         UInt32,
    batch_size  UInt32,
    reading_id  Nullable(String),
    decision    LowCardinality(String),
    reason      LowCardinality(String) DEFAULT '',
    recorded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (batch_id, seq)
SETTINGS non_replicated_deduplication_window = 1000
;
