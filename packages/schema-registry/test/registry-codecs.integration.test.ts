// The codecs against the real registry started by the integration global setup (Apicurio, KafkaSQL
// storage on the test broker): registration, compatibility enforcement, evolution, old formats.

import { readdirSync, readFileSync } from 'node:fs';
import { AVRO_SCHEMA_FILES, type AvroRecordKind, loadAvroSchema } from '@shopfloor/contracts';
import { jsonCodecs, type RecordCodec } from '@shopfloor/kafka';
import type {} from '@shopfloor/test-support';
import { describe, expect, inject, test } from 'vitest';
import { SchemaRegistryError } from '../src/errors.ts';
import { valueSubject } from '../src/register-record-codecs.ts';
import { RegistryClient, SHOPFLOOR_COMPATIBILITY } from '../src/registry-client.ts';
import { registryCodecs } from '../src/registry-codecs.ts';
import { sampleRecords } from '../src/sample-records.ts';
import { editFields, freshTopics } from './topics.ts';

const url = inject('schemaRegistryUrl');
const KINDS = Object.keys(AVRO_SCHEMA_FILES) as AvroRecordKind[];
const samples = sampleRecords();
const codec = (codecs: object, kind: AvroRecordKind) =>
  (codecs as Record<AvroRecordKind, RecordCodec<unknown>>)[kind];

describe('Avro codecs through the real schema registry', () => {
  test('every checked-in schema registers as <topic>-value, FULL_TRANSITIVE, idempotently; records round-trip', async () => {
    const topics = freshTopics();
    const codecs = await registryCodecs({ url, topics });
    const client = new RegistryClient(url);
    for (const kind of KINDS) {
      const subject = valueSubject(topics[kind]);
      const config = (await (await fetch(`${url}/config/${subject}`)).json()) as {
        compatibilityLevel: string;
      };
      expect(config.compatibilityLevel).toBe(SHOPFLOOR_COMPATIBILITY);
      expect(await client.versions(subject)).toEqual([1]);
      for (const record of samples[kind]) {
        expect(await codec(codecs, kind).decode(codec(codecs, kind).encode(record))).toEqual({
          ok: true,
          value: record,
        });
      }
    }
    // Start-up again (a restart, a second process): same ids, no new versions.
    const again = await registryCodecs({ url, topics });
    for (const kind of KINDS) {
      expect(codec(again, kind).encode(samples[kind][0])).toEqual(
        codec(codecs, kind).encode(samples[kind][0]),
      );
      expect(await client.versions(valueSubject(topics[kind]))).toEqual([1]);
    }
  });

  test('CI check: each checked-in schema is compatible with every released version of it', async () => {
    // avro/released/<file>.v<N>.avsc are the versions that went out; registering them in order and
    // then the working copy makes an incompatible edit fail here with the registry's message.
    const released = new URL('../../contracts/avro/released/', import.meta.url);
    const files = readdirSync(released).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const topics = freshTopics();
    const client = new RegistryClient(url);
    for (const kind of KINDS) {
      const subject = valueSubject(topics[kind]);
      const versions = files.filter((f) => f.startsWith(AVRO_SCHEMA_FILES[kind].replace('.avsc', '.v')));
      expect(versions.length, `${kind}: released versions`).toBeGreaterThan(0);
      await client.setCompatibility(subject);
      for (const file of versions)
        await client.register(subject, JSON.parse(readFileSync(new URL(file, released), 'utf8')));
    }
    await expect(registryCodecs({ url, topics })).resolves.toBeDefined();
  });

  test('an incompatible change to a checked-in schema is refused with the registry’s message', async () => {
    const topics = freshTopics();
    await registryCodecs({ url, topics });
    // durationMs int → string: neither old nor new readers could read the other's records.
    const broken = editFields(loadAvroSchema('state'), (fields) =>
      fields.map((f) => (f.name === 'durationMs' ? { ...f, type: 'string' } : f)),
    );
    const err = await registryCodecs({ url, topics, schemas: { state: broken } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect(err).toMatchObject({ code: 'SCHEMA_INCOMPATIBLE', retriable: false });
    expect((err as Error).message).toMatch(
      new RegExp(
        `registering ${topics.state.replace('.', '\\.')}-value: .*Incompatible artifact.*durationMs|/fields/`,
      ),
    );
    console.log(`registry message: ${(err as Error).message}`);
    // A required field without a default is refused as well (old records have no value for it).
    const required = editFields(loadAvroSchema('raw'), (fields) => [
      ...fields,
      { name: 'shift', type: 'string' },
    ]);
    await expect(registryCodecs({ url, topics, schemas: { raw: required } })).rejects.toMatchObject({
      code: 'SCHEMA_INCOMPATIBLE',
    });
  });

  test('a compatible evolution (optional field with a default) registers, and old and new records read both ways', async () => {
    const topics = freshTopics();
    const v1 = await registryCodecs({ url, topics });
    const oldRecord = samples.raw[0] as Record<string, unknown>;
    const writtenByV1 = v1.raw.encode(oldRecord as never);

    const evolved = editFields(loadAvroSchema('raw'), (fields) => [
      ...fields,
      { name: 'shift', type: ['null', 'string'], default: null },
    ]);
    const v2 = await registryCodecs({ url, topics, schemas: { raw: evolved } });
    expect(await new RegistryClient(url).versions(valueSubject(topics.raw))).toEqual([1, 2]);
    // New code reads the old record: the new field takes its default.
    expect(await v2.raw.decode(writtenByV1)).toEqual({ ok: true, value: { ...oldRecord, shift: null } });
    // Old code (still running during a rolling upgrade) reads the new record: the field is dropped.
    const writtenByV2 = v2.raw.encode({ ...oldRecord, shift: 'night' } as never);
    expect(writtenByV2.readUInt32BE(1)).not.toBe(writtenByV1.readUInt32BE(1));
    expect(await v1.raw.decode(writtenByV2)).toEqual({ ok: true, value: oldRecord });
  });

  test('a new rejection code (OUT_OF_SCOPE): the v1 enum cannot take it, the v2 reasonCode enum (with a default) can; old records and old readers keep working', async () => {
    const released = (file: string) =>
      JSON.parse(readFileSync(new URL(`../../contracts/avro/released/${file}`, import.meta.url), 'utf8'));
    const v1Schemas = {
      deadLetter: released('dead-letter-record.v1.avsc'),
      outcomes: released('outcome-record.v1.avsc'),
    };
    // Why a second enum: adding the symbol to v1's RejectionReason (no default) is refused, since a
    // v1 reader could not read it, whatever default the new version carries.
    const refusedTopics = freshTopics();
    await registryCodecs({ url, topics: refusedTopics, schemas: v1Schemas });
    const withSymbol = editFields(v1Schemas.deadLetter, (fields) =>
      fields.map((f) =>
        f.name === 'reason'
          ? {
              ...f,
              type: {
                ...(f.type as { symbols: string[] }),
                symbols: [...(f.type as { symbols: string[] }).symbols, 'OUT_OF_SCOPE'],
                default: 'INVALID_ID',
              },
            }
          : f,
      ),
    );
    const refused = await registryCodecs({
      url,
      topics: refusedTopics,
      schemas: { deadLetter: withSymbol },
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });
    console.log(`adding a symbol to the v1 enum: ${(refused as Error).message}`);

    // The checked-in v2 is accepted after v1 under FULL_TRANSITIVE.
    const topics = freshTopics();
    const v1 = await registryCodecs({ url, topics, schemas: v1Schemas });
    const v2 = await registryCodecs({ url, topics });
    expect(await new RegistryClient(url).versions(valueSubject(topics.deadLetter))).toEqual([1, 2]);
    expect(await new RegistryClient(url).versions(valueSubject(topics.outcomes))).toEqual([1, 2]);
    const deadLetter = samples.deadLetter[0] as { reason: string };
    const outcome = samples.outcomes[0] as { decisions: { reason?: string }[] };
    // Records written with v1 read as they were.
    const oldDeadLetter = v1.deadLetter.encode(deadLetter as never);
    const oldOutcome = v1.outcomes.encode(outcome as never);
    expect(await v2.deadLetter.decode(oldDeadLetter)).toEqual({ ok: true, value: deadLetter });
    expect(await v2.outcomes.decode(oldOutcome)).toEqual({ ok: true, value: outcome });
    // A v2 OUT_OF_SCOPE record: v2 reads the code; a v1 reader still reads it, with reason INVALID_ID.
    const scoped = { ...deadLetter, reason: 'OUT_OF_SCOPE' };
    const written = v2.deadLetter.encode(scoped as never);
    expect(await v2.deadLetter.decode(written)).toEqual({ ok: true, value: scoped });
    const byV1 = await v1.deadLetter.decode(written);
    expect(byV1).toMatchObject({ ok: true, value: { reason: 'INVALID_ID' } });
    const scopedOutcome = {
      ...outcome,
      decisions: outcome.decisions.map((d) => (d.reason ? { ...d, reason: 'OUT_OF_SCOPE' } : d)),
    };
    const writtenOutcome = v2.outcomes.encode(scopedOutcome as never);
    expect(await v2.outcomes.decode(writtenOutcome)).toEqual({ ok: true, value: scopedOutcome });
    expect(await v1.outcomes.decode(writtenOutcome)).toMatchObject({ ok: true });
  });

  test('a record written by the JSON version is read too; an unknown schema id is a precise error', async () => {
    const codecs = await registryCodecs({ url, topics: freshTopics() });
    const json = jsonCodecs();
    for (const kind of KINDS) {
      const record = samples[kind][0];
      const legacy = (json[kind] as RecordCodec<unknown>).encode(record);
      expect(await codec(codecs, kind).decode(legacy)).toEqual({ ok: true, value: record });
    }
    const unknown = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2]);
    const r = await codecs.raw.decode(unknown);
    expect(r).toEqual({
      ok: false,
      error: expect.stringMatching(/schema id 2147483632 .*unknown schema id/),
    });
  });

  test('registry down at start-up: a clear, retriable error naming the URL', async () => {
    const dead = 'http://127.0.0.1:9/apis/ccompat/v7';
    const err = await registryCodecs({ url: dead, topics: freshTopics() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SCHEMA_REGISTRY_UNAVAILABLE', retriable: true });
    expect((err as Error).message).toContain(`schema registry at ${dead} is unreachable`);
  });
});
