-- The Kafka topic ids the projection was built from, next to sink_offsets: a topic re-created
-- (or a broker whose data was lost) has a new id, and the projector refuses to start on a log
-- that is not the one its offsets refer to (`pnpm shopfloor reset-derived` is the fix).
CREATE TABLE IF NOT EXISTS log_identity
(
    topic       LowCardinality(String),
    topic_id    String,
    recorded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(recorded_at)
ORDER BY topic
;
