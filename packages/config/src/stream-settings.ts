import { z } from 'zod';
import { brokerList, int } from './setting-types.ts';

/** The settings of the broker, the registry, the topics and the events stream's consumer groups and dedupe state (the one schema is composed in schema.ts). */
export const streamSettings = {
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_LOCAL_PORT: int(1, 65535).default(9092),
  SHOPFLOOR_BROKER_WAIT_MS: int(0, 3_600_000).default(60_000),
  SCHEMA_REGISTRY_URL: z
    .url({
      protocol: /^https?$/,
      message:
        'must be the http(s) URL of a Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7',
    })
    .optional(),
  SCHEMA_REGISTRY_LOCAL_PORT: int(1, 65535).default(8081),
  SHOPFLOOR_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
    .default(''),
  // 2, not 6: each posted batch costs one dedupe transaction per partition it touches, and fewer
  // transactions measured 0.13-0.83x the CPU per event (bench/README, Levers, lever 4).
  SHOPFLOOR_PARTITIONS: int(1, 1024).default(2),
  SHOPFLOOR_DEDUPE_GROUP: z.string().min(1).default('shopfloor-dedupe'),
  SHOPFLOOR_PROJECTOR_GROUP: z.string().min(1).default('shopfloor-projector'),
  SHOPFLOOR_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'may contain only letters, digits, "_" and "-"' })
    .default('default'),
  SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS: int(6_000, 300_000).default(30_000),
  SHOPFLOOR_STATE_HORIZON_SECONDS: int(0, 100 * 365 * 86_400).default(0),
  SHOPFLOOR_STATE_SWEEP_INTERVAL_MS: int(10, 86_400_000).default(60_000),
  SHOPFLOOR_WINNER_LOOKUP_URL: z
    .url({ message: 'must be the http(s) URL of the projector, e.g. http://127.0.0.1:3001' })
    .optional(),
  SHOPFLOOR_BAD_RECORD_POLICY: z.enum(['dead-letter', 'stop']).default('dead-letter'),
};

export const streamSettingDocs: Record<keyof typeof streamSettings, string> = {
  KAFKA_BROKERS:
    'Comma-separated host:port list. Unset: the standalone process starts the local broker; separate services use 127.0.0.1:KAFKA_LOCAL_PORT.',
  KAFKA_LOCAL_PORT: 'Port of the local broker started by the project scripts.',
  SHOPFLOOR_BROKER_WAIT_MS:
    "How long a service started before its broker (KAFKA_BROKERS, or the local one of a separate service) waits for it to answer, asking every second, before it exits with code 2; logged once when the broker does not answer at first. 0: no wait (the first request's own retries, about 9 s).",
  SCHEMA_REGISTRY_URL:
    'Confluent-compatible API of the schema registry (Apicurio: .../apis/ccompat/v7); it must answer at start-up (topic values are Avro, there is no JSON mode). Unset: the standalone process with the local broker starts the local registry; otherwise http://127.0.0.1:SCHEMA_REGISTRY_LOCAL_PORT/apis/ccompat/v7.',
  SCHEMA_REGISTRY_LOCAL_PORT: 'Port of the local schema registry started by the project scripts.',
  SHOPFLOOR_TOPIC_PREFIX: 'Prefix for every topic name (isolates several systems on one broker).',
  SHOPFLOOR_PARTITIONS:
    'Partitions of events.raw, events.state and events.change-batches when they are created: fixed for the life of the log, and the most dedupe processes that can share the work (set it up front for a deployment that will scale out; the compose stack uses 6).',
  SHOPFLOOR_DEDUPE_GROUP: 'Consumer group (and transactional id prefix) of the dedupe consumers.',
  SHOPFLOOR_PROJECTOR_GROUP: 'Consumer group of the ClickHouse projector.',
  SHOPFLOOR_INSTANCE_ID:
    'Names this process; its local state checkpoint and member id live in SHOPFLOOR_DATA_DIR/state/<id> (`metric-state/<id>`, `sensor-state/<id>` for those streams). The member id is its static group instance id, so a restart takes its partitions back at once. Give each process of a kind on one host its own: of two with one id, the older stops with `FENCED_INSTANCE_ID` and exits.',
  SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS:
    'Consumer group session timeout of the stream processors and projectors: how long the partitions of a crashed member that does not come back wait before moving.',
  SHOPFLOOR_STATE_HORIZON_SECONDS:
    'Drop a dedupe state entry when its eventId has not been received for this long (tombstoned in events.state); 0 keeps every entry. An event whose eventId left the state is decided against its winner in ClickHouse, so it is never double counted.',
  SHOPFLOOR_STATE_SWEEP_INTERVAL_MS:
    "How often each partition is swept for entries past the horizon (events: SHOPFLOOR_STATE_HORIZON_SECONDS; sensor readings: SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS, by the log's receivedAt).",
  SHOPFLOOR_WINNER_LOOKUP_URL:
    'Separate dedupe processes with a horizon: the projector (ClickHouse owner) they ask for winners that left the state.',
  SHOPFLOOR_BAD_RECORD_POLICY:
    'What a consumer does with a record it cannot decode: `dead-letter` (to events.invalid, then go on) or `stop` (the consumer stops there, committing nothing past it, and its process exits 1). The sensor and metric-events processors park such a record whatever the policy (on sensor.dlq; as a failed event).',
};
