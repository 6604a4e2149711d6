import type { ShopfloorMetricSet } from './metric-definitions.ts';
import type {
  MetricEventMetrics,
  ProjectorMetrics,
  ProjectorName,
  SensorMetrics,
  StreamName,
  StreamProcessorMetrics,
} from './metric-ports.ts';
import type { ScrapeSampler } from './scrape-samplers.ts';

/**
 * A stream processor's restore metrics; its held and restoring partitions are read at each scrape
 * (both series set every time, so a member that left its group reports 0, never a stale count).
 */
export function streamProcessorMetrics(
  set: ShopfloorMetricSet,
  stream: StreamName,
  samplers: ScrapeSampler[],
): StreamProcessorMetrics {
  return {
    stateRestored({ records, seconds }) {
      set.streamRestoreDuration.observe({ stream }, seconds);
      set.streamRestoredRecords.inc({ stream }, records);
    },
    sampleRestoreProgress(source) {
      samplers.push(async () => {
        try {
          const { assigned, pending } = source();
          set.streamPartitions.set({ stream, state: 'assigned' }, assigned.length);
          set.streamPartitions.set({ stream, state: 'restoring' }, pending.length);
        } catch {
          set.streamPartitions.remove({ stream, state: 'assigned' });
          set.streamPartitions.remove({ stream, state: 'restoring' });
          set.scrapeErrors.inc({ source: 'restore_progress' });
        }
      });
    },
  };
}

/** The projector port of one stream's projector: every series labelled with its name. */
export function projectorMetrics(set: ShopfloorMetricSet, projector: ProjectorName): ProjectorMetrics {
  return {
    inserted({ table, rows, seconds }) {
      set.projectorInsertDuration.observe({ projector, table }, seconds);
      set.projectorInsertedRows.inc({ projector, table }, rows);
    },
    groupApplied(group) {
      set.projectorGroups.inc({ projector, kind: group.reapplied ? 'reapplied' : 'new' });
      set.projectorGroupRecords.observe({ projector }, group.records);
      set.projectorGroupPartitions.observe({ projector }, group.partitions);
      set.projectorGroupDuration.observe({ projector }, group.seconds);
      set.projectorLastGroupTime.set({ projector }, Date.now() / 1000);
      if (group.invalidRecords > 0) set.projectorInvalidRecords.inc({ projector }, group.invalidRecords);
    },
    awaitedFetch() {
      set.projectorAwaitedFetches.inc({ projector });
    },
  };
}

export function sensorMetrics(set: ShopfloorMetricSet, samplers: ScrapeSampler[]): SensorMetrics {
  return {
    readingsPublished({ published, rejectionReasons }) {
      set.sensorPublishedReadings.inc(published);
      if (rejectionReasons.length > 0)
        set.sensorReadings.inc({ outcome: 'rejected' }, rejectionReasons.length);
      for (const reason of rejectionReasons) set.sensorRejections.inc({ reason });
    },
    batchCommitted({ accepted, duplicates, undecodable, alertSeverities }) {
      if (accepted > 0) set.sensorReadings.inc({ outcome: 'accepted' }, accepted);
      if (duplicates > 0) set.sensorReadings.inc({ outcome: 'duplicate' }, duplicates);
      if (undecodable > 0) set.sensorUndecodableRecords.inc(undecodable);
      for (const severity of alertSeverities) set.sensorAlerts.inc({ severity });
    },
    alertReached(stage, seconds) {
      set.sensorAlertLatency.observe({ stage }, seconds);
    },
    processor: streamProcessorMetrics(set, 'sensor', samplers),
  };
}

export function metricEventMetrics(set: ShopfloorMetricSet, samplers: ScrapeSampler[]): MetricEventMetrics {
  return {
    eventsPublished({ published, rejectionReasons }) {
      set.metricEventsPublished.inc(published);
      if (rejectionReasons.length > 0) set.metricEvents.inc({ outcome: 'rejected' }, rejectionReasons.length);
      for (const reason of rejectionReasons) set.metricEventRejections.inc({ reason });
    },
    batchCommitted({ processed, duplicates, failed, undecodable }) {
      if (processed > 0) set.metricEvents.inc({ outcome: 'processed' }, processed);
      if (duplicates > 0) set.metricEvents.inc({ outcome: 'duplicate' }, duplicates);
      // The decision fails an event only for simulateFailure; an undecodable record fails too.
      if (failed + undecodable > 0) set.metricEvents.inc({ outcome: 'failed' }, failed + undecodable);
      if (failed > 0) set.metricEventFailures.inc({ reason: 'SIMULATED_FAILURE' }, failed);
      if (undecodable > 0) set.metricEventFailures.inc({ reason: 'UNDECODABLE_RECORD' }, undecodable);
    },
    processor: streamProcessorMetrics(set, 'metric-events', samplers),
  };
}
