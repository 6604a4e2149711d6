import { describe, expect, it } from 'vitest';
import { newClusterId } from './broker-state.ts';

describe('newClusterId', () => {
  it('is 16 random bytes in base64url, as Kafka expects, never starting with a dash', () => {
    const ids = Array.from({ length: 500 }, newClusterId);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
