import { z } from 'zod';
import { int } from './setting-types.ts';

/** The settings of who may reach what: API keys (auth) and the read-only BI endpoint (the one schema is composed in schema.ts). */
export const accessSettings = {
  SHOPFLOOR_BOOTSTRAP_KEY: z
    .string()
    .regex(/^sfk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/, {
      message: 'must be a key of the form sfk_<16 hex>_<43 base64url>',
    })
    .optional(),
  SHOPFLOOR_BOOTSTRAP_KEY_FILE: z.string().min(1).optional(),
  SHOPFLOOR_RATE_LIMIT_PER_MINUTE: int(1, 10_000_000).default(6_000),
  SHOPFLOOR_BI_PORT: int(0, 65535).optional(),
  SHOPFLOOR_BI_HOST: z.string().min(1).default('127.0.0.1'),
  SHOPFLOOR_BI_USER: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
    .default('bi'),
  SHOPFLOOR_BI_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }).optional(),
  SHOPFLOOR_BI_MAX_EXECUTION_TIME_S: int(1, 3600).default(30),
  SHOPFLOOR_BI_MAX_RESULT_ROWS: int(1, 1_000_000_000).default(1_000_000),
  SHOPFLOOR_BI_MAX_MEMORY_BYTES: int(1024 * 1024, 1024 * 1024 * 1024 * 1024).default(1024 * 1024 * 1024),
};

export const accessSettingDocs: Record<keyof typeof accessSettings, string> = {
  SHOPFLOOR_BOOTSTRAP_KEY:
    'An operator API key (sfk_...) every service accepts; setting it (or the file) turns auth on. Required when HOST is not loopback. Never logged.',
  SHOPFLOOR_BOOTSTRAP_KEY_FILE:
    'A file holding the bootstrap key (for secrets mounted as files, e.g. in compose).',
  SHOPFLOOR_RATE_LIMIT_PER_MINUTE:
    'Requests per minute one API key may make (429 with Retry-After past it); auth on only.',
  SHOPFLOOR_BI_PORT:
    'Embedded mode: port of the read-only ClickHouse HTTP endpoint for BI tools, served by the process that owns the engine (standalone or projector). Unset: off. Needs SHOPFLOOR_BI_PASSWORD.',
  SHOPFLOOR_BI_HOST: 'Address the BI endpoint listens on (loopback by default).',
  SHOPFLOOR_BI_USER: 'User name BI tools log in with.',
  SHOPFLOOR_BI_PASSWORD:
    'Password BI tools log in with (at least 8 characters; required with SHOPFLOOR_BI_PORT).',
  SHOPFLOOR_BI_MAX_EXECUTION_TIME_S: 'max_execution_time of a BI query, in seconds.',
  SHOPFLOOR_BI_MAX_RESULT_ROWS: 'max_result_rows of a BI query (result_overflow_mode = throw).',
  SHOPFLOOR_BI_MAX_MEMORY_BYTES: 'max_memory_usage of a BI query, in bytes.',
};
