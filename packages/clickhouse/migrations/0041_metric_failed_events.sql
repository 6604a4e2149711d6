-- The metric-events stream's failed events: rejected by validation at the API, failed in
-- processing (SIMULATED_FAILURE) or undecodable. Never counted. One row per (request, seq):
-- a replayed group is dropped by its deduplication token.
CREATE TABLE IF NOT EXISTS metric_failed_events
(
    request_id   String,
    seq          UInt32,
    received_at  DateTime64(3, 'UTC'),
    id           Nullable(String),
    client_id    Nullable(String),
    reason       LowCardinality(String),
    message      String,
    payload_json String
)
ENGINE = ReplacingMergeTree
ORDER BY (received_at, request_id, seq)
SETTINGS non_replicated_deduplication_window = 1000
