import { readBootstrapKey } from '@shopfloor/auth';
import { loadConfig, type ShopfloorConfig } from '@shopfloor/config';
import { createKafka, type KafkaClient } from '@shopfloor/kafka';

/** What every command works with: the services' own configuration and where the system answers. */
export interface CliContext {
  config: ShopfloorConfig;
  kafka: KafkaClient;
  brokers: string[];
  /** The process serving the query API and GET /internal/status (standalone or projector). */
  url: string;
  /** The process serving POST /events/batch (standalone or gateway). */
  gatewayUrl: string;
  /** The key the HTTP calls send: --api-key / SHOPFLOOR_API_KEY, else the bootstrap key if configured. */
  apiKey: string | undefined;
  out: (line: string) => void;
}

export interface GlobalOptions {
  url?: string;
  gatewayUrl?: string;
  apiKey?: string;
}

/**
 * Reads the same environment as the services (loadConfig), so the command finds the embedded
 * default (local broker on KAFKA_LOCAL_PORT, API on HOST:PORT) untouched and external brokers
 * through KAFKA_BROKERS.
 */
export function createCliContext(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): CliContext {
  const config = loadConfig(env);
  const brokers = config.kafka.brokers;
  const kafka = createKafka({
    brokers,
    clientId: 'shopfloor-cli',
    logLevel: 'nothing',
    connectionTimeoutMs: 2_000,
    requestTimeoutMs: 10_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
  });
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
  const url = (options.url ?? env.SHOPFLOOR_URL ?? `http://${host}:${config.PORT}`).replace(/\/$/, '');
  const gatewayUrl = (options.gatewayUrl ?? env.SHOPFLOOR_GATEWAY_URL ?? url).replace(/\/$/, '');
  const apiKey =
    options.apiKey ??
    env.SHOPFLOOR_API_KEY ??
    readBootstrapKey({
      ...(config.SHOPFLOOR_BOOTSTRAP_KEY ? { key: config.SHOPFLOOR_BOOTSTRAP_KEY } : {}),
      ...(config.SHOPFLOOR_BOOTSTRAP_KEY_FILE ? { file: config.SHOPFLOOR_BOOTSTRAP_KEY_FILE } : {}),
    });
  return { config, kafka, brokers, url, gatewayUrl, apiKey, out };
}
