/** Every error this package throws at start-up, with a stable code (documented in the README). */
export const SCHEMA_REGISTRY_ERRORS = {
  SCHEMA_REGISTRY_UNAVAILABLE: {
    retriable: true,
    description: 'The registry did not answer (not started, wrong URL, down). Nothing was started.',
  },
  SCHEMA_INCOMPATIBLE: {
    retriable: false,
    description:
      "A checked-in .avsc breaks the subject's compatibility rule; the message is the registry's own.",
  },
  SCHEMA_REGISTRY_ERROR: {
    retriable: false,
    description: 'The registry answered with an error other than an incompatibility.',
  },
} as const;

export type SchemaRegistryErrorCode = keyof typeof SCHEMA_REGISTRY_ERRORS;

export class SchemaRegistryError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly code: SchemaRegistryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SchemaRegistryError';
    this.retriable = SCHEMA_REGISTRY_ERRORS[code].retriable;
  }
}

const NETWORK_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|aborted|timeout/i;

/** The library reports a refused connection as "status 400"; tell it apart by its cause. */
export function isUnreachable(err: unknown): boolean {
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  return NETWORK_ERROR.test(`${String(e?.message)} ${String(e?.cause?.code)} ${String(e?.cause?.message)}`);
}

/** The registry's own message, without the client id the library puts in front of it. */
export function registryMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^[\w.-]+ - /, '');
}
