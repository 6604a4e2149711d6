import type { ShopfloorConfig } from '@shopfloor/config';
import type { ShopfloorCodecs } from '@shopfloor/kafka';
import { registryCodecs } from '@shopfloor/schema-registry';
import type { Logger } from 'pino';
import { startOrExit } from './start-or-exit.ts';

/**
 * The start-up step of every main that reads or writes topic values: every schema is registered
 * with the configured registry (what it did logged) before anything connects, so a registry that
 * is down stops the start here (`<service> not started: ...`, exit 2).
 */
export function codecsAtStartup(
  log: Logger,
  service: string,
  config: Pick<ShopfloorConfig, 'schemaRegistry' | 'topics'>,
): Promise<ShopfloorCodecs> {
  return startOrExit(
    log,
    service,
    registryCodecs({
      url: config.schemaRegistry.url,
      topics: config.topics,
      log: (line, fields) => log.info(fields ?? {}, line),
    }),
  );
}
