import { KeyRing } from '@shopfloor/auth';
import { describe, expect, test } from 'vitest';
import { httpAuthOf, type KeyStore } from './key-store.ts';

const store = (keys: KeyRing | undefined): KeyStore =>
  ({
    mode: keys ? { enabled: true } : { enabled: false, reason: 'loopback without a key' },
    keys,
    stop: async () => {},
  }) as KeyStore;

describe('httpAuthOf', () => {
  test('auth on: the store keys and the per-key rate limit of the config', () => {
    const keys = new KeyRing();
    expect(httpAuthOf(store(keys), { SHOPFLOOR_RATE_LIMIT_PER_MINUTE: 42 })).toEqual({
      keys,
      rateLimitPerMinute: 42,
    });
  });

  test('auth off: nothing, so the app installs no auth hook and no rate limit', () => {
    expect(httpAuthOf(store(undefined), { SHOPFLOOR_RATE_LIMIT_PER_MINUTE: 42 })).toEqual({});
  });
});
