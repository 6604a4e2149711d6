-- sink_offsets.state ('before' / 'after') goes: the projector records a group's markers before its
-- insert and never writes 'after'; whether the insert landed is told by the committed Kafka offsets
-- (see packages/clickhouse/README.md, "Exactly once"). Idempotent: a re-run finds no column to drop.
ALTER TABLE sink_offsets DROP COLUMN IF EXISTS state
;
