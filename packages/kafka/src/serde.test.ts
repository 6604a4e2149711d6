import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from './serde.ts';

describe('JSON serde', () => {
  it('round-trips values as UTF-8 JSON', () => {
    const value = { eventId: 'é-1', n: 3, nested: [null, true] };
    expect(encodeJson(value).toString('utf8')).toBe(JSON.stringify(value));
    expect(decodeJson(encodeJson(value))).toEqual({ ok: true, value });
  });

  it('reports bad bytes instead of throwing', () => {
    expect(decodeJson(Buffer.from('{"a":'))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not valid JSON/),
    });
    expect(decodeJson(Buffer.from([0xff, 0xfe, 0x7b]))).toEqual({
      ok: false,
      error: 'value is not valid UTF-8',
    });
    expect(decodeJson(null)).toEqual({ ok: false, error: 'value is null' });
    expect(decodeJson(undefined)).toEqual({ ok: false, error: 'value is null' });
  });

  it('accepts a Uint8Array', () => {
    expect(decodeJson(new TextEncoder().encode('[1,2]'))).toEqual({ ok: true, value: [1, 2] });
  });
});
