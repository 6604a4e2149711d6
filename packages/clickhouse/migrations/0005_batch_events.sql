-- Per-event outcome of every posted batch, for the async batch status endpoint. A batch is
-- complete when it has batch_size distinct seqs. ReplacingMergeTree: a replayed outcome for the
-- same (batch_id, seq) collapses to one row (read with FINAL).
CREATE TABLE IF NOT EXISTS batch_events
(
    batch_id    String,
    seq         UInt32,
    batch_size  UInt32,
    event_id    Nullable(String),
    decision    LowCardinality(String),
    reason      LowCardinality(String) DEFAULT '',
    recorded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (batch_id, seq)
SETTINGS non_replicated_deduplication_window = 1000
;
