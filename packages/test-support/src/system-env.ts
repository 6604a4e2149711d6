/**
 * The environment of one system (or of its services) on a given broker and registry, with topics and
 * consumer groups of its own: `prefix` goes before every topic and group, so systems sharing a
 * broker (test files, bench runs, chaos runs) never see each other's records. The metric-events
 * group is left to its default, `<prefix>shopfloor-metric-events`.
 */
export function systemEnvUnder(
  prefix: string,
  on: { brokers: readonly string[]; schemaRegistryUrl: string },
): Record<string, string> {
  return {
    KAFKA_BROKERS: on.brokers.join(','),
    SCHEMA_REGISTRY_URL: on.schemaRegistryUrl,
    SHOPFLOOR_TOPIC_PREFIX: prefix,
    SHOPFLOOR_DEDUPE_GROUP: `${prefix}dedupe`,
    SHOPFLOOR_PROJECTOR_GROUP: `${prefix}projector`,
    SHOPFLOOR_SENSOR_GROUP: `${prefix}sensors`,
    SHOPFLOOR_SENSOR_PROJECTOR_GROUP: `${prefix}sensor-projector`,
  };
}
