import type { ShopfloorConfig } from '@shopfloor/config';
import type { ShopfloorCodecs } from '@shopfloor/kafka';
import { type LocalRegistry, startLocalRegistry } from '@shopfloor/local-schema-registry';
import { registryCodecs, SchemaRegistryError } from '@shopfloor/schema-registry';
import type { Logger } from 'pino';

export interface SchemaRegistryStartup {
  codecs: ShopfloorCodecs;
  /** The registry's Confluent-compatible API (the other streams register their schemas there). */
  url: string;
  /** The local registry this process started (undefined when it reused one or uses a remote one). */
  started: LocalRegistry | undefined;
}

/**
 * The registry and the Avro codecs of every topic. With the local broker (the start command), the
 * local registry is started on it (or reused); otherwise the registry at config.schemaRegistry.url
 * is used (SCHEMA_REGISTRY_URL, or the local default), and it must answer: there is no JSON
 * fallback. Either way every schema is registered before this resolves, and a failure stops what was
 * started here and throws: no half-started system.
 */
export async function startSchemaRegistry(
  config: ShopfloorConfig,
  brokers: string[],
  log: Logger,
  watchParentPid?: number,
): Promise<SchemaRegistryStartup> {
  const { url, localRegistry } = config.schemaRegistry;
  const startLocal = localRegistry && config.kafka.localBroker;
  let started: LocalRegistry | undefined;
  let registryUrl = url;
  if (startLocal) {
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
    return { codecs, url: registryUrl, started };
  } catch (err) {
    await started?.stop();
    throw withHint(err, localRegistry && !startLocal);
  }
}

/** External brokers and no SCHEMA_REGISTRY_URL: say which variable points at the right registry. */
function withHint(err: unknown, defaultedUrl: boolean): unknown {
  if (!(defaultedUrl && err instanceof SchemaRegistryError && err.code === 'SCHEMA_REGISTRY_UNAVAILABLE'))
    return err;
  return new SchemaRegistryError(
    err.code,
    `${err.message}. KAFKA_BROKERS is set and SCHEMA_REGISTRY_URL is not, so the local default was tried: ` +
      'set SCHEMA_REGISTRY_URL to the registry of those brokers (topic values are Avro; there is no JSON mode).',
  );
}
