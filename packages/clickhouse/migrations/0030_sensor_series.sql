-- One row per (equipment, sensor) series, folded from every processed reading: when the equipment
-- was first and last heard from (received_at: the gateway's clock; ts: the device's), how many
-- readings it sent, and its latest reading. Equipment is "registered" by its first reading, so the
-- equipment list and the status route read this small table and never the raw readings. The latest
-- reading (its timestamp is last_ts) is an argMax over (ts, reading_key), so two readings with the
-- same timestamp pick the same winner whatever the order of inserts and merges.
CREATE TABLE IF NOT EXISTS sensor_series
(
    equipment_id   LowCardinality(String),
    sensor_type    LowCardinality(String),
    first_received SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_received  SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    first_ts       SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_ts        SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    readings_count SimpleAggregateFunction(sum, UInt64),
    latest         AggregateFunction(argMax, Tuple(Float64, String, String, Nullable(Float64)), Tuple(DateTime64(3, 'UTC'), String))
)
ENGINE = AggregatingMergeTree
ORDER BY (equipment_id, sensor_type)
SETTINGS non_replicated_deduplication_window = 1000
;
CREATE MATERIALIZED VIEW IF NOT EXISTS sensor_series_mv TO sensor_series AS
SELECT
    equipment_id,
    sensor_type,
    min(received_at) AS first_received,
    max(received_at) AS last_received,
    min(ts) AS first_ts,
    max(ts) AS last_ts,
    toUInt64(count()) AS readings_count,
    argMaxState(
        (value, toString(unit), toString(assessment), z_score),
        (ts, reading_key)
    ) AS latest
FROM sensor_readings
GROUP BY equipment_id, sensor_type
