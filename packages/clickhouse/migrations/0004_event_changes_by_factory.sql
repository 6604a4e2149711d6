-- event_changes re-sorted by (factory_id, event_time): the partial first and last minutes of a
-- factory window are read from here, so top-defect-lines is exact to the millisecond without
-- scanning every machine of the factory.
CREATE TABLE IF NOT EXISTS event_changes_by_factory
(
    event_time   DateTime64(3, 'UTC'),
    factory_id   LowCardinality(String),
    line_id      LowCardinality(String),
    defect_count Int32,
    sign         Int8
)
ENGINE = MergeTree
ORDER BY (factory_id, event_time)
SETTINGS non_replicated_deduplication_window = 1000
;
CREATE MATERIALIZED VIEW IF NOT EXISTS event_changes_by_factory_mv TO event_changes_by_factory AS
SELECT event_time, factory_id, line_id, defect_count, sign
FROM event_changes
;
