import { ConfigResourceTypes, ConfigSource } from './kafkajs.ts';
import type { Admin } from './types.ts';

/**
 * Applies `wanted` to an existing topic where it differs, and returns the names it changed. The
 * broker's (non-incremental) AlterConfigs replaces every dynamic config of the topic, so the topic's
 * other dynamic configs are read first and sent along unchanged.
 */
export async function enforceTopicConfigs(
  admin: Admin,
  topic: string,
  wanted: Readonly<Record<string, string>>,
): Promise<string[]> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
  });
  const entries = described.resources[0]?.configEntries ?? [];
  const current = new Map(entries.map((e) => [e.configName, e.configValue]));
  const changed = Object.keys(wanted).filter((name) => current.get(name) !== wanted[name]);
  if (changed.length === 0) return [];
  const dynamic = Object.fromEntries(
    entries
      .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
      .map((e) => [e.configName, e.configValue]),
  );
  const configs = { ...dynamic, ...wanted };
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
      },
    ],
  });
  return changed;
}
