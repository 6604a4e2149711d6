import type { ShopfloorConfig } from '@shopfloor/config';
import type { ShopfloorCodecs } from '@shopfloor/kafka';
import { registryCodecs, registryKeyCodec } from '@shopfloor/schema-registry';
import type { Logger } from 'pino';
import { startOrExit } from './start-or-exit.ts';

type RegistryConfig = Pick<ShopfloorConfig, 'schemaRegistry' | 'topics'>;

/**
 * The start-up step of every main that reads or writes topic values: every schema is registered
 * with the configured registry (what it did logged) before anything connects, so a registry that
 * is down stops the start here (`<service> not started: ...`, exit 2).
 */
export function codecsAtStartup(
  log: Logger,
  service: string,
  config: RegistryConfig,
): Promise<ShopfloorCodecs> {
  return startOrExit(log, service, registryCodecs(registryOptions(log, config)));
}

/**
 * The same step for a main that reads no events topic but follows the API keys (the sensors and
 * metric-events mains): only the key log's subject is registered.
 */
export function keyCodecAtStartup(
  log: Logger,
  service: string,
  config: RegistryConfig,
): ReturnType<typeof registryKeyCodec> {
  return startOrExit(log, service, registryKeyCodec(registryOptions(log, config)));
}

function registryOptions(log: Logger, config: RegistryConfig) {
  return {
    url: config.schemaRegistry.url,
    topics: config.topics,
    log: (line: string, fields?: Record<string, unknown>) => log.info(fields ?? {}, line),
  };
}
