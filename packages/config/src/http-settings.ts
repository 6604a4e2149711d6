import { int } from './setting-types.ts';

/** The settings of the HTTP API's limits: batch and body size, waits, load shedding, slow clients (the one schema is composed in schema.ts). */
export const httpSettings = {
  SHOPFLOOR_MAX_BATCH_EVENTS: int(1, 1_000_000).default(10_000),
  SHOPFLOOR_MAX_BODY_BYTES: int(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  SHOPFLOOR_SYNC_TIMEOUT_MS: int(1, 600_000).default(10_000),
  SHOPFLOOR_MAX_INFLIGHT_EVENTS: int(1, 100_000_000).default(200_000),
  SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS: int(100, 600_000).default(10_000),
  SHOPFLOOR_HTTP_HEADERS_TIMEOUT_MS: int(100, 600_000).default(10_000),
  SHOPFLOOR_HTTP_REQUEST_TIMEOUT_MS: int(100, 3_600_000).default(60_000),
  SHOPFLOOR_HTTP_KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000).default(5_000),
  SHOPFLOOR_HTTP_MAX_HEADER_BYTES: int(1024, 1024 * 1024).default(16 * 1024),
};

export const httpSettingDocs: Record<keyof typeof httpSettings, string> = {
  SHOPFLOOR_MAX_BATCH_EVENTS: 'Most events accepted in one POST /events/batch (413 past it).',
  SHOPFLOOR_MAX_BODY_BYTES: 'Largest request body in bytes (413 past it).',
  SHOPFLOOR_SYNC_TIMEOUT_MS:
    'How long a default-mode POST waits for the final outcome before answering 202 with the batch id.',
  SHOPFLOOR_MAX_INFLIGHT_EVENTS:
    'Most events the gateway holds while waiting for Kafka to acknowledge them; past it, 503 OVERLOADED (load shedding).',
  SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS:
    'How long the gateway waits for Kafka to acknowledge a batch before answering 503.',
  SHOPFLOOR_HTTP_HEADERS_TIMEOUT_MS:
    'A client must send the request line and headers within this, else 408 and the connection is closed (slow-header clients).',
  SHOPFLOOR_HTTP_REQUEST_TIMEOUT_MS:
    'A client must send the whole request (headers and body) within this, else 408 (slow-body clients).',
  SHOPFLOOR_HTTP_KEEP_ALIVE_TIMEOUT_MS: 'An idle keep-alive connection is closed after this.',
  SHOPFLOOR_HTTP_MAX_HEADER_BYTES: 'Largest request line plus headers, in bytes (431 past it).',
};
