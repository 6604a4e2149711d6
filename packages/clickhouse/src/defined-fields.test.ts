import { describe, expect, it } from 'vitest';
import { definedFields } from './defined-fields.ts';

describe('definedFields', () => {
  it('leaves out undefined fields and keeps every other value, falsy ones included', () => {
    const fields = definedFields({ a: 1, b: undefined as string | undefined, c: 0, d: '', e: null });
    expect(fields).toStrictEqual({ a: 1, c: 0, d: '', e: null });
    expect('b' in fields).toBe(false);
  });
});
