-- The projector's record of the Kafka offset range of the batch it is about to insert ('before')
-- or has inserted ('after') per topic partition: the ClickHouse Kafka Connect sink's exactly-once
-- design. After a restart the projector re-forms the identical batch from min_offset..max_offset
-- and re-inserts it with the same deduplication token.
-- No deduplication window here on purpose: this is a state record, and a re-written marker must
-- always land rather than be dropped as a duplicate block of an earlier identical write.
CREATE TABLE IF NOT EXISTS sink_offsets
(
    topic      LowCardinality(String),
    partition  UInt32,
    min_offset Int64,
    max_offset Int64,
    state      Enum8('before' = 1, 'after' = 2),
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (topic, partition)
;
