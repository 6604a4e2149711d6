import type { ShopfloorConfig } from '@shopfloor/config';
import { metricEventsLayout, metricTopics } from '@shopfloor/metric-events-service';
import { sensorProjectionLanes, sensorTopics } from '@shopfloor/sensors-service';

/** A consumer group of a stream and the topics it reads. */
export type StreamGroup = { group: string; topics: string[] };

/**
 * What the operator command knows of one stream: its processor (a stateful member reading the raw
 * topic, its state in changelogs), its projector (topics into ClickHouse), its dead
 * letters, and the processor's local state folder when it keeps one on disk.
 */
export type StreamLayout = {
  name: 'events' | 'sensors' | 'metric-events';
  processor: StreamGroup;
  /** The processor's state changelogs (the sensors': windows, and the reading identities apart). */
  stateTopics: string[];
  /** Its projectors (topics into ClickHouse): one, or the sensors' two (readings, alerts). */
  projectors: StreamGroup[];
  /** Where rejected and undecodable records of the stream go. */
  deadLetterTopic: string;
  /** The processor's local state (LMDB) on this host; none when it lives in memory only. */
  localStateDir: string | null;
};

export const STREAM_NAMES = ['events', 'sensors', 'metric-events'] as const;

/** The three streams as the services name them from the same configuration. */
export function streamLayouts(config: ShopfloorConfig): StreamLayout[] {
  const events = config.topics;
  const sensors = sensorTopics(config.SHOPFLOOR_TOPIC_PREFIX);
  const metric = metricTopics(config.SHOPFLOOR_TOPIC_PREFIX);
  const metricLayout = metricEventsLayout(config);
  const lanes = sensorProjectionLanes(sensors);
  return [
    {
      name: 'events',
      processor: { group: config.SHOPFLOOR_DEDUPE_GROUP, topics: [events.raw] },
      stateTopics: [events.state],
      projectors: [{ group: config.SHOPFLOOR_PROJECTOR_GROUP, topics: [events.changes, events.deadLetter] }],
      deadLetterTopic: events.deadLetter,
      localStateDir: config.dirs.state,
    },
    {
      name: 'sensors',
      processor: { group: config.SHOPFLOOR_SENSOR_GROUP, topics: [sensors.raw] },
      stateTopics: [sensors.state, sensors.identities],
      projectors: [
        { group: config.SHOPFLOOR_SENSOR_PROJECTOR_GROUP, topics: [...lanes.readings.inputTopics] },
        { group: config.SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP, topics: [...lanes.alerts.inputTopics] },
      ],
      deadLetterTopic: sensors.deadLetter,
      // The anomaly windows live in memory and are restored from sensor.state and
      // sensor.reading-identities at every start.
      localStateDir: null,
    },
    {
      name: 'metric-events',
      processor: { group: metricLayout.groupId, topics: [metric.raw] },
      stateTopics: [metric.state],
      projectors: [{ group: metricLayout.projectorGroupId, topics: [metric.processed, metric.failed] }],
      deadLetterTopic: metric.failed,
      localStateDir: metricLayout.stateDir,
    },
  ];
}
