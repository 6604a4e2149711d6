import { type ClickHouseWriter, writeSinkOffsets } from '@shopfloor/clickhouse';
import type { StepResult } from '@shopfloor/contracts';
import { noMetrics, type ProjectorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import type { AppliedGroup, GroupToApply } from './apply-group.ts';
import { acceptFetched, formNextGroup, groupRecorded, markGroupApplied } from './group-assembly.ts';
import { groupToken, isFullyFetched, markersOf, type RangeGroup, recordCount } from './range-group.ts';
import type { Heartbeat, RetryWithHeartbeat } from './retry-with-heartbeat.ts';
import type { PartitionRecords, SinkState } from './sink-state.ts';

/** One partition's fetched records with the heartbeat of the consumer that fetched them. */
export type FetchedBatch = PartitionRecords & { heartbeat: Heartbeat };

export type ProjectorCounters = {
  /** Groups recorded and applied (a group is one insert per table). */
  groups: number;
  /** Partition ranges in those groups. */
  partitionRanges: number;
  /** Records applied: decisions and dead letters, not the Kafka records holding them (see AppliedGroup). */
  records: number;
  /** Recorded groups applied again after a crash or a failed write (their copies were dropped). */
  reappliedGroups: number;
  changeRows: number;
  invalidRecords: number;
};

export const emptyCounters = (): ProjectorCounters => ({
  groups: 0,
  partitionRanges: 0,
  records: 0,
  reappliedGroups: 0,
  changeRows: 0,
  invalidRecords: 0,
});

/**
 * Thrown when the bad-record policy `stop` met a record it could not decode. Non-retriable, as
 * ConsumerStopError: kafkajs neither retries the batch nor restarts the consumer, which stops.
 */
export class ProjectorStoppedError extends Error {
  override readonly name = 'ProjectorStoppedError';
  readonly retriable = false;
}

export type GroupSinkDeps = {
  /** Where the projector stands: from sink-recovery.ts at start-up. */
  state: SinkState;
  writer: ClickHouseWriter;
  applyGroup: (input: GroupToApply) => Promise<StepResult<AppliedGroup>>;
  retry: RetryWithHeartbeat;
  log: Logger;
  counters: ProjectorCounters;
  /** Where group sizes and durations are reported (Prometheus). Default: nowhere. */
  metrics?: ProjectorMetrics | undefined;
  now?: () => number;
};

/**
 * Turns the batches of one group-commit flush into groups, after the ClickHouse Kafka Connect
 * sink's design: first the recorded group that may be unapplied is re-formed from exactly its
 * recorded offsets and applied again (waiting, flush after flush, until all its records are back);
 * then the held-back records form the next group, which is recorded in sink_offsets (one row per
 * partition, one insert) before it is applied. A failure leaves the state as it was at the failing
 * write, so the next flush starts again from there.
 */
export function createGroupSink(deps: GroupSinkDeps) {
  const { writer, retry, log, counters } = deps;
  const now = deps.now ?? Date.now;
  const metrics = deps.metrics ?? noMetrics.projector;
  let state = deps.state;

  const apply = async (group: RangeGroup, heartbeat: Heartbeat, reapplied: boolean) => {
    const startedAt = performance.now();
    const result = await deps.applyGroup({ group, heartbeat });
    if (result.kind !== 'ok') {
      log.fatal(
        { token: groupToken(group), reason: result.reason },
        'projector stopped: bad record (SHOPFLOOR_BAD_RECORD_POLICY=stop); nothing past it is applied',
      );
      throw new ProjectorStoppedError(result.reason);
    }
    counters.changeRows += result.value.changeRows;
    counters.invalidRecords += result.value.invalidRecords;
    state = markGroupApplied(state, group);
    const seconds = (performance.now() - startedAt) / 1000;
    const records = result.value.records ?? recordCount(group);
    metrics.groupApplied({
      partitions: group.ranges.size,
      records,
      invalidRecords: result.value.invalidRecords,
      seconds,
      reapplied,
    });
    return { seconds, records };
  };

  return {
    state: () => state,
    async flush(batches: readonly FetchedBatch[]): Promise<void> {
      const heartbeat = batches[0]?.heartbeat;
      if (!heartbeat) return;
      state = acceptFetched(state, batches);
      const unapplied = state.unappliedGroup;
      if (unapplied) {
        if (!isFullyFetched(unapplied)) return; // its records are still being fetched again
        log.info({ token: groupToken(unapplied) }, 're-applying the recorded group');
        await apply(unapplied, heartbeat, true);
        counters.reappliedGroups++;
      }
      const group = formNextGroup(state, now());
      if (!group) return;
      // Taken even if the record fails: a marker that did land must never be outdated by an older time.
      state = { ...state, lastMarkerAt: group.markerAt };
      const markers = markersOf(group);
      await retry(
        'record the group in sink_offsets',
        async () => {
          const startedAt = performance.now();
          await writeSinkOffsets(writer, markers, { dedupToken: `${groupToken(group)}:marker` });
          const seconds = (performance.now() - startedAt) / 1000;
          metrics.inserted({ table: 'sink_offsets', rows: markers.length, seconds });
        },
        heartbeat,
      );
      // From here on, any retry or restart must re-form exactly this group.
      state = groupRecorded(state, group);
      const { seconds, records } = await apply(group, heartbeat, false);
      log.debug({ partitions: group.ranges.size, applyMs: seconds * 1000 }, 'group applied');
      counters.groups++;
      counters.partitionRanges += group.ranges.size;
      counters.records += records;
    },
  };
}

export type GroupSink = ReturnType<typeof createGroupSink>;
