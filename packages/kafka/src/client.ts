import type { LogEntry, logLevel as LogLevelEnum, RetryOptions } from 'kafkajs';
import { Kafka, logLevel } from './kafkajs.ts';
import { countKafkaRequests } from './request-counts.ts';
import type { KafkaClient } from './types.ts';

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaLogRecord {
  level: Exclude<KafkaLogLevel, 'nothing'>;
  namespace: string;
  message: string;
  /** Structured extras kafkajs attaches (broker, error, stack, ...). */
  extra: Record<string, unknown>;
}

export interface CreateKafkaOptions {
  brokers: string[];
  clientId: string;
  /** Lowest level forwarded to `onLog`. Default 'error': kafkajs is chatty at info. */
  logLevel?: KafkaLogLevel;
  /** Where kafkajs log lines go. Default: one line on stderr, minus retried error responses. */
  onLog?: (record: KafkaLogRecord) => void;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** kafkajs' own per-request retry (exponential backoff with jitter). */
  retry?: Pick<RetryOptions, 'retries' | 'initialRetryTime' | 'maxRetryTime'>;
}

const LEVELS: Record<KafkaLogLevel, LogLevelEnum> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

function levelName(level: LogLevelEnum): KafkaLogRecord['level'] {
  if (level === logLevel.ERROR) return 'error';
  if (level === logLevel.WARN) return 'warn';
  if (level === logLevel.INFO) return 'info';
  return 'debug';
}

/**
 * kafkajs logs every error response at ERROR on the connection, and again with a retryCount before
 * its retrier tries again (rebalances, coordinator loading, concurrent transactions). Errors that
 * matter reach the caller as thrown errors, so the default sink drops these duplicates.
 */
export function isRetryNoise(record: KafkaLogRecord): boolean {
  return (
    (record.namespace === 'Connection' && record.message.startsWith('Response ')) ||
    'retryCount' in record.extra
  );
}

function writeToStderr(record: KafkaLogRecord): void {
  if (isRetryNoise(record)) return;
  const extra = Object.keys(record.extra).length > 0 ? ` ${JSON.stringify(record.extra)}` : '';
  process.stderr.write(`[kafkajs ${record.level}] ${record.namespace}: ${record.message}${extra}\n`);
}

/** A kafkajs client whose producers, consumers and admins count their requests (`kafkaRequestCounts`). */
export function createKafka(options: CreateKafkaOptions): KafkaClient {
  const onLog = options.onLog ?? writeToStderr;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    ...(options.retry ? { retry: options.retry } : {}),
    logLevel: LEVELS[options.logLevel ?? 'error'],
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const {
          message,
          timestamp: _timestamp,
          logger: _logger,
          ...extra
        } = log as typeof log & Record<string, unknown>;
        onLog({ level: levelName(level), namespace, message, extra });
      },
  });
  return countKafkaRequests(kafka);
}
