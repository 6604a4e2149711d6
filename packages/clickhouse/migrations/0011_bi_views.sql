-- The BI schema: views in the `bi` database that give correct answers with plain SQL, for BI tools
-- (Grafana, Metabase, Superset, DBeaver) that know nothing about FINAL, retraction rows or unmerged
-- SummingMergeTree parts. Unqualified table names are bound to the database this migration runs in
-- (CLICKHOUSE_DATABASE) when the view is created. The views run with their creator's rights (SQL
-- SECURITY DEFINER), so a reader needs SELECT on `bi` only: the embedded BI endpoint and the `bi`
-- user of a ClickHouse server (infra/clickhouse/users.d/bi.xml) read this database and nothing
-- else. Documented in README.md ("BI tools").
CREATE DATABASE IF NOT EXISTS bi
;
-- The current winner of every event: no duplicates, no superseded versions (ReplacingMergeTree
-- read with FINAL). `defects` is defect_count with the unknown marker (-1) counted as 0, so a plain
-- sum(defects) is the defect total the API reports.
CREATE VIEW IF NOT EXISTS bi.events DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT
    event_id,
    event_time,
    machine_id,
    line_id,
    factory_id,
    duration_ms,
    defect_count,
    toInt64(if(defect_count >= 0, defect_count, 0)) AS defects,
    received_at
FROM events FINAL
;
-- Minute rollups. The tables hold signed rows (a correction subtracts the old version) and parts
-- that are not merged yet, so the views sum them and hide keys that a correction emptied.
CREATE VIEW IF NOT EXISTS bi.machine_minute DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT machine_id, minute, sum(events_count) AS events_count, sum(defects_count) AS defects_count
FROM machine_minute_stats
GROUP BY machine_id, minute
HAVING events_count != 0
;
CREATE VIEW IF NOT EXISTS bi.line_minute DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT factory_id, line_id, minute, sum(events_count) AS events_count, sum(defects_count) AS defects_count
FROM line_minute_stats
GROUP BY factory_id, line_id, minute
HAVING events_count != 0
;
CREATE VIEW IF NOT EXISTS bi.factory_minute DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT factory_id, minute, sum(events_count) AS events_count, sum(defects_count) AS defects_count
FROM line_minute_stats
GROUP BY factory_id, minute
HAVING events_count != 0
;
-- Hour rollups, with the API's machine health for a one-hour window (avg_defect_rate is defects per
-- hour, `Healthy` below 2.0, else `Warning`) and its defects_percent (rounded half up: Decimal).
CREATE VIEW IF NOT EXISTS bi.machine_hour DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT
    machine_id,
    toStartOfHour(minute) AS hour,
    sum(events_count) AS events_count,
    sum(defects_count) AS defects_count,
    toFloat64(defects_count) AS avg_defect_rate,
    if(avg_defect_rate < 2.0, 'Healthy', 'Warning') AS status
FROM machine_minute_stats
GROUP BY machine_id, hour
HAVING events_count != 0
;
CREATE VIEW IF NOT EXISTS bi.line_hour DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT
    factory_id,
    line_id,
    toStartOfHour(minute) AS hour,
    sum(events_count) AS events_count,
    sum(defects_count) AS defects_count,
    round(toDecimal64(defects_count, 6) * 100 / events_count, 2) AS defects_percent
FROM line_minute_stats
GROUP BY factory_id, line_id, hour
HAVING events_count != 0
;
CREATE VIEW IF NOT EXISTS bi.factory_hour DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT
    factory_id,
    toStartOfHour(minute) AS hour,
    sum(events_count) AS events_count,
    sum(defects_count) AS defects_count,
    round(toDecimal64(defects_count, 6) * 100 / events_count, 2) AS defects_percent
FROM line_minute_stats
GROUP BY factory_id, hour
HAVING events_count != 0
;
-- The dead letters: every event that failed validation, once (a replayed insert is collapsed), with
-- the reason code and the payload exactly as received.
CREATE VIEW IF NOT EXISTS bi.dead_letters DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT batch_id, seq, event_id, toString(reason) AS reason, message, payload, received_at
FROM rejected_events
LIMIT 1 BY batch_id, seq
;
-- One row per posted batch: its size, how many outcomes are recorded, the count per decision
-- (`deduped` includes the stale versions, as in the API) and whether it is complete.
CREATE VIEW IF NOT EXISTS bi.batch_outcomes DEFINER = CURRENT_USER SQL SECURITY DEFINER AS
SELECT
    batch_id,
    max(batch_size) AS events,
    count() AS recorded,
    countIf(decision = 'accepted') AS accepted,
    countIf(decision IN ('deduped', 'stale')) AS deduped,
    countIf(decision = 'updated') AS updated,
    countIf(decision = 'rejected') AS rejected,
    if(recorded >= events, 'complete', 'pending') AS status,
    max(recorded_at) AS last_recorded_at
FROM batch_events FINAL
GROUP BY batch_id
;
