import type { ShopfloorConfig } from '@shopfloor/config';
import { jsonCodecs, type ShopfloorCodecs } from '@shopfloor/kafka';
import { type LocalRegistry, startLocalRegistry } from '@shopfloor/local-schema-registry';
import { registryCodecs } from '@shopfloor/schema-registry';
import type { Logger } from 'pino';

export interface SchemaRegistryStartup {
  codecs: ShopfloorCodecs;
  /** The local registry this process started (undefined when it reused one or uses a remote one). */
  started: LocalRegistry | undefined;
}

/**
 * The registry and the Avro codecs of every topic. With the local broker (the start command), the
 * local registry is started on it (or reused); with SCHEMA_REGISTRY_URL, that registry is used.
 * Either way every schema is registered before this resolves, and a failure stops what was started
 * here and throws: no half-started system. External brokers without SCHEMA_REGISTRY_URL keep JSON
 * (the pre-registry format, read by the Avro codecs too) so test and bench set-ups that predate the
 * registry keep working until the services take their codecs from here.
 */
export async function startSchemaRegistry(
  config: ShopfloorConfig,
  brokers: string[],
  log: Logger,
  watchParentPid?: number,
): Promise<SchemaRegistryStartup> {
  const { url, localRegistry } = config.schemaRegistry;
  if (localRegistry && !config.kafka.localBroker) {
    log.info('SCHEMA_REGISTRY_URL unset and the brokers are external: topic values stay JSON');
    return { codecs: jsonCodecs(), started: undefined };
  }
  let started: LocalRegistry | undefined;
  let registryUrl = url;
  if (localRegistry) {
    log.info({ dataDir: config.dirs.schemaRegistry }, 'starting the local schema registry');
    const registry = await startLocalRegistry({
      dataDir: config.dirs.schemaRegistry,
      port: config.SCHEMA_REGISTRY_LOCAL_PORT,
      brokers,
      log: (line) => log.info(line),
      ...(watchParentPid ? { watchParentPid } : {}),
    });
    registryUrl = registry.url;
    if (!registry.reused) started = registry;
  }
  try {
    const codecs = await registryCodecs({
      url: registryUrl,
      topics: config.topics,
      log: (line, fields) => log.info(fields ?? {}, line),
    });
    return { codecs, started };
  } catch (err) {
    await started?.stop();
    throw err;
  }
}
