-- The sensor-readings stream: every reading the anomaly processor accepted (duplicates never get
-- here: the processor dedupes by reading identity), with its assessment. The projector inserts with
-- a deduplication token per offset range, so a replayed batch is a no-op here and in the rollup.
CREATE TABLE IF NOT EXISTS sensor_readings
(
    reading_key  String,
    reading_id   Nullable(String),
    equipment_id LowCardinality(String),
    sensor_type  LowCardinality(String),
    value        Float64,
    unit         LowCardinality(String),
    ts           DateTime64(3, 'UTC'),
    received_at  DateTime64(3, 'UTC'),
    assessment   LowCardinality(String),
    z_score      Nullable(Float64),
    alert_id     Nullable(String)
)
ENGINE = ReplacingMergeTree
ORDER BY (equipment_id, sensor_type, ts, reading_key)
SETTINGS non_replicated_deduplication_window = 1000
;
-- Minute rollups per (equipment, sensor): count, sum (for the average), min, max, anomalies.
-- SimpleAggregateFunction columns fold correctly on merge; queries aggregate again.
CREATE TABLE IF NOT EXISTS sensor_minute_stats
(
    equipment_id    LowCardinality(String),
    sensor_type     LowCardinality(String),
    minute          DateTime('UTC'),
    readings_count  SimpleAggregateFunction(sum, UInt64),
    value_sum       SimpleAggregateFunction(sum, Float64),
    value_min       SimpleAggregateFunction(min, Float64),
    value_max       SimpleAggregateFunction(max, Float64),
    anomalies_count SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (equipment_id, sensor_type, minute)
SETTINGS non_replicated_deduplication_window = 1000
;
CREATE MATERIALIZED VIEW IF NOT EXISTS sensor_minute_stats_mv TO sensor_minute_stats AS
SELECT
    equipment_id,
    sensor_type,
    toStartOfMinute(ts) AS minute,
    toUInt64(1) AS readings_count,
    value AS value_sum,
    value AS value_min,
    value AS value_max,
    toUInt64(assessment = 'anomaly') AS anomalies_count
FROM sensor_readings
