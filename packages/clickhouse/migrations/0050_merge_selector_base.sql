-- Background merges at merge_selector_base = 10 (the engine's default is 5) on the sensor stream's
-- tables and sink_offsets. The merge selector counts each part as its size plus a fixed cost of a
-- few MiB, so while a table is small (tens of MiB: a new deployment, a factory's first weeks, every
-- bench run) a projector's small parts all look the size of the big one, and the big part is
-- rewritten after every few inserts. Measured on the embedded engine
-- (bench/micro/merge-amplification.ts, 200 inserts of 600 rows, one every 100 ms): 44.7 rows merged
-- per row inserted at 5, 4.9 at 10. In the pipeline at 6 000 readings/s: 23.4 against 8.0, CPU per
-- reading 0.83x, alert p99 0.69x. Not on the events and metric-events tables: with it, GET /stats
-- at 10 M events answered 1.3x (rollups) to 1.6x (FINAL) slower, the more parts it leaves costing
-- the reads more than the merges it saves (bench/README "Merges that rewrite a small table").
ALTER TABLE sink_offsets MODIFY SETTING merge_selector_base = 10
;
ALTER TABLE sensor_readings MODIFY SETTING merge_selector_base = 10
;
ALTER TABLE sensor_minute_stats MODIFY SETTING merge_selector_base = 10
;
ALTER TABLE sensor_alerts MODIFY SETTING merge_selector_base = 10
;
ALTER TABLE sensor_alert_resolutions MODIFY SETTING merge_selector_base = 10
;
ALTER TABLE sensor_batch_readings MODIFY SETTING merge_selector_base = 10
;
ALTER TABLE sensor_series MODIFY SETTING merge_selector_base = 10
