import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonCodecs } from './record-codec.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../contracts/fixtures/${name}`, import.meta.url), 'utf8'));

describe('jsonCodecs', () => {
  const codecs = jsonCodecs();

  it('round-trips a raw record and a change batch record', async () => {
    const raw = fixture('raw-event-record.v1.json');
    expect(await codecs.raw.decode(codecs.raw.encode(raw))).toEqual({ ok: true, value: raw });
    const batch = { v: 1 as const, changes: [fixture('change-record.updated.v1.json')] };
    expect(await codecs.changes.decode(codecs.changes.encode(batch))).toEqual({ ok: true, value: batch });
  });

  it('reports bytes that are not a record instead of throwing', async () => {
    expect(await codecs.raw.decode(Buffer.from('{nope'))).toMatchObject({ ok: false });
    expect(await codecs.raw.decode(Buffer.from('{"v":1}'))).toMatchObject({ ok: false });
    expect(await codecs.state.decode(null)).toEqual({ ok: false, error: 'value is null' });
  });

  it('keeps the exact bytes of an invalid record', async () => {
    const value = Buffer.from([0xff, 0x00, 0x7b]);
    const record = { v: 1 as const, topic: 'events.raw', partition: 2, offset: '7', error: 'bad', value };
    expect(await codecs.invalid.decode(codecs.invalid.encode(record))).toEqual({ ok: true, value: record });
  });
});
