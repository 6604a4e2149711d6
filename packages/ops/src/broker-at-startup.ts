import type { ShopfloorConfig } from '@shopfloor/config';
import { waitForBroker } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { startOrExit } from './start-or-exit.ts';

type BrokerConfig = Pick<ShopfloorConfig, 'kafka' | 'SHOPFLOOR_BROKER_WAIT_MS'>;

/**
 * Waits up to SHOPFLOOR_BROKER_WAIT_MS for a broker of the configured ones to answer (logged once
 * when none does at first); rejects past that. 0 skips the wait: the first request's own retries
 * decide.
 */
export async function waitForConfiguredBroker(log: Logger, config: BrokerConfig): Promise<void> {
  const waitMs = config.SHOPFLOOR_BROKER_WAIT_MS;
  if (waitMs === 0) return;
  const { brokers } = config.kafka;
  await waitForBroker(brokers, {
    timeoutMs: waitMs,
    onWaiting: (err) =>
      log.warn(
        { brokers, err: err.message },
        `no broker answers yet: waiting up to ${waitMs / 1000} s (SHOPFLOOR_BROKER_WAIT_MS)`,
      ),
  });
}

/**
 * The start-up step of every service main, before its first request to the broker: a service
 * started before its broker starts once the broker answers; past SHOPFLOOR_BROKER_WAIT_MS it is not
 * started (`<service> not started: no broker of … answered within …`, exit 2).
 */
export function brokerAtStartup(log: Logger, service: string, config: BrokerConfig): Promise<void> {
  return startOrExit(log, service, waitForConfiguredBroker(log, config));
}
