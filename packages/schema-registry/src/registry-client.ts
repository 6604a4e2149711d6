import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { settleWithin } from '@shopfloor/contracts';
import type { Type } from 'avsc';
import { isUnreachable, registryMessage, SchemaRegistryError } from './errors.ts';

/**
 * FULL_TRANSITIVE: a rebuild replays the whole log with the newest schema (backward against every
 * version, not only the last), and during a rolling upgrade the consumers still on the old schema
 * read records of the new one (forward). Adding or removing a field with a default passes it.
 */
export const SHOPFLOOR_COMPATIBILITY = COMPATIBILITY.FULL_TRANSITIVE;

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * The library's calls have no timeout of their own. Apicurio was seen to leave one registration
 * unanswered for good (its connection open, the next requests answered in ms), which hung the
 * start of the all-in-one (and, we think, a test's beforeAll). A call unanswered this long is
 * asked again: registering and reading are idempotent.
 */
export const LIBRARY_CALL_TIMEOUTS = { attemptMs: 15_000, attempts: 4 };

class NoAnswerError extends Error {
  override readonly name = 'NoAnswerError';
}

/** `call`, asked again each time it is unanswered after `attemptMs`, at most `attempts` times. */
async function answeredWithin<T>(
  call: () => Promise<T>,
  { attemptMs, attempts }: typeof LIBRARY_CALL_TIMEOUTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await settleWithin(
        call(),
        attemptMs,
        () => new NoAnswerError(`no answer within ${attemptMs} ms (timeout), ${attempt} attempt(s)`),
      );
    } catch (err) {
      if (!(err instanceof NoAnswerError) || attempt >= attempts) throw err;
    }
  }
}

/** The Confluent-compatible API of one registry: the library where it has the call, fetch elsewhere. */
export class RegistryClient {
  private readonly library: SchemaRegistry;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 5_000,
    private readonly libraryTimeouts = LIBRARY_CALL_TIMEOUTS,
  ) {
    this.library = new SchemaRegistry({ host: url, clientId: 'shopfloor', retry: { retries: 1 } });
  }

  private fail(action: string, err: unknown): never {
    if (err instanceof SchemaRegistryError) throw err;
    if (isUnreachable(err))
      throw new SchemaRegistryError(
        'SCHEMA_REGISTRY_UNAVAILABLE',
        `schema registry at ${this.url} is unreachable (${action}): ${registryMessage(err)}`,
      );
    const status = (err as { status?: number }).status;
    throw new SchemaRegistryError(
      status === 409 ? 'SCHEMA_INCOMPATIBLE' : 'SCHEMA_REGISTRY_ERROR',
      `${action}: ${registryMessage(err)}`,
    );
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: { accept: JSON_TYPE, ...(body === undefined ? {} : { 'content-type': JSON_TYPE }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      this.fail(`${method} ${path}`, err);
    }
    const json = (await res.json().catch(() => ({}))) as T & { message?: string };
    if (!res.ok && res.status !== 404)
      this.fail(
        `${method} ${path}`,
        Object.assign(new Error(json.message ?? res.statusText), { status: res.status }),
      );
    return { status: res.status, json };
  }

  /** Sets the compatibility level of one subject, or the global default when `subject` is undefined. */
  async setCompatibility(subject: string | undefined, level = SHOPFLOOR_COMPATIBILITY): Promise<void> {
    await this.request('PUT', subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`, {
      compatibility: level,
    });
  }

  /** Registers `schema` under `subject` (idempotent: the same schema keeps its id). */
  async register(subject: string, schema: object): Promise<number> {
    try {
      const { id } = await answeredWithin(
        () =>
          this.library.register(
            { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
            { subject, compatibility: SHOPFLOOR_COMPATIBILITY },
          ),
        this.libraryTimeouts,
      );
      return id;
    } catch (err) {
      this.fail(`registering ${subject}`, err);
    }
  }

  /** The registered versions of a subject (none when it does not exist). */
  async versions(subject: string): Promise<number[]> {
    const { status, json } = await this.request<number[]>(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions`,
    );
    return status === 404 ? [] : json;
  }

  async schemaIdOf(subject: string, version: number): Promise<number> {
    try {
      return await answeredWithin(() => this.library.getRegistryId(subject, version), this.libraryTimeouts);
    } catch (err) {
      this.fail(`looking up ${subject} version ${version}`, err);
    }
  }

  /** The writer schema of an id, parsed; cached by the library, so a known id needs no request. */
  async writerSchema(id: number): Promise<Type> {
    try {
      return (await answeredWithin(
        () => this.library.getSchema(id),
        this.libraryTimeouts,
      )) as unknown as Type;
    } catch (err) {
      if ((err as { status?: number }).status === 404)
        throw new Error(`unknown schema id (${registryMessage(err)})`);
      this.fail(`looking up schema id ${id}`, err);
    }
  }
}
