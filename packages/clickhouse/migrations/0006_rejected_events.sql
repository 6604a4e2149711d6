-- The queryable dead letters: every event that failed validation, with the payload as received.
CREATE TABLE IF NOT EXISTS rejected_events
(
    batch_id    String,
    seq         UInt32,
    event_id    Nullable(String),
    reason      LowCardinality(String),
    message     String,
    payload     String,
    received_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (received_at, batch_id, seq)
SETTINGS non_replicated_deduplication_window = 1000
;
