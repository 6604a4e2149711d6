import { readdirSync, readFileSync } from 'node:fs';
import { SENSOR_AVRO_SCHEMA_FILES, type SensorAvroRecordKind } from '@shopfloor/contracts';
import { RegistryClient, SHOPFLOOR_COMPATIBILITY, valueSubject } from '@shopfloor/schema-registry';
import { uniqueTopic } from '@shopfloor/test-support';
import { describe, expect, inject, test } from 'vitest';
import { registrySensorCodecs } from '../src/sensor-codecs.ts';
import { sensorTopics } from '../src/sensor-topics.ts';

// The sensor stream's schemas in the real registry: <topic>-value subjects under FULL_TRANSITIVE,
// registered idempotently, and (the CI check) each checked-in .avsc compatible with every released
// version of it in packages/contracts/avro/released.
const url = inject('schemaRegistryUrl');
const KINDS = Object.keys(SENSOR_AVRO_SCHEMA_FILES) as SensorAvroRecordKind[];

describe('sensor codecs through the real schema registry', () => {
  test('every sensor schema registers as <topic>-value, FULL_TRANSITIVE, once; a record round-trips', async () => {
    const topics = sensorTopics(`${uniqueTopic('sensor-codecs')}.`);
    const codecs = await registrySensorCodecs({ url, topics });
    await registrySensorCodecs({ url, topics }); // a restart: same ids, no new version
    const client = new RegistryClient(url);
    for (const kind of KINDS) {
      const subject = valueSubject(topics[kind]);
      const config = (await (await fetch(`${url}/config/${subject}`)).json()) as {
        compatibilityLevel: string;
      };
      expect(config.compatibilityLevel).toBe(SHOPFLOOR_COMPATIBILITY);
      expect(await client.versions(subject)).toEqual([1]);
    }
    const record = {
      v: 1,
      alertId: '0123456789abcdef0123456789abcdef',
      resolvedBy: 'anonymous',
      note: null,
      resolvedAt: 1,
    };
    const bytes = codecs.resolutions.encode(record);
    expect(bytes[0]).toBe(0); // the Confluent magic byte: Avro with a schema id, not JSON
    expect(await codecs.resolutions.decode(bytes)).toEqual({ ok: true, value: record });
    expect(await codecs.resolutions.decode(Buffer.from(JSON.stringify(record)))).toMatchObject({ ok: false });
  });

  test('CI check: each checked-in sensor schema is compatible with every released version of it', async () => {
    const released = new URL('../../../packages/contracts/avro/released/', import.meta.url);
    const files = readdirSync(released).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const topics = sensorTopics(`${uniqueTopic('sensor-released')}.`);
    const client = new RegistryClient(url);
    for (const kind of KINDS) {
      const subject = valueSubject(topics[kind]);
      const prefix = SENSOR_AVRO_SCHEMA_FILES[kind].replace('.avsc', '.v');
      const versions = files.filter((f) => f.startsWith(prefix));
      expect(versions.length, `${kind}: released versions`).toBeGreaterThan(0);
      await client.setCompatibility(subject);
      for (const file of versions)
        await client.register(subject, JSON.parse(readFileSync(new URL(file, released), 'utf8')));
    }
    await expect(registrySensorCodecs({ url, topics })).resolves.toBeDefined();
  });
});
