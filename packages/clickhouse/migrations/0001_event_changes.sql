-- The change log of winners: the ONLY table the projector inserts winners into.
-- sign = +1 adds a winner version, sign = -1 retracts a version that used to win. Every rollup
-- below is a materialized view over this table, so a correction (which may move an event to
-- another machine, line or minute) retracts the old contribution exactly and never double counts.
-- non_replicated_deduplication_window makes insert_deduplication_token work on a non-replicated
-- MergeTree: a replayed batch re-sent with the same token is dropped here and, with
-- deduplicate_blocks_in_dependent_materialized_views = 1, in every view target too.
CREATE TABLE IF NOT EXISTS event_changes
(
    event_id     String,
    event_time   DateTime64(3, 'UTC'),
    machine_id   LowCardinality(String),
    line_id      LowCardinality(String),
    factory_id   LowCardinality(String),
    duration_ms  UInt32,
    defect_count Int32,
    received_at  DateTime64(3, 'UTC'),
    version      UInt64,
    sign         Int8
)
ENGINE = MergeTree
ORDER BY (machine_id, event_time)
SETTINGS non_replicated_deduplication_window = 1000
;
