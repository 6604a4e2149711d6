import { describe, expect, test } from 'vitest';
import { renewingProducer } from './renewing-producer.ts';
import type { Producer } from './types.ts';

// A fake producer with only what the source uses: connect and disconnect, counted.
function fakeProducers(failConnect = 0) {
  const made: { connected: boolean; disconnected: boolean }[] = [];
  let failures = failConnect;
  const create = () => {
    const state = { connected: false, disconnected: false };
    made.push(state);
    return {
      async connect() {
        if (failures-- > 0) throw new Error('broker down');
        state.connected = true;
      },
      async disconnect() {
        state.disconnected = true;
      },
    } as unknown as Producer;
  };
  return { made, create };
}

describe('renewingProducer', () => {
  test('connects once and hands out the same producer until a send fails', async () => {
    const { made, create } = fakeProducers();
    const source = renewingProducer(create);
    const first = await source.get();
    expect(await source.get()).toBe(first);
    expect(made).toHaveLength(1);
    source.renew();
    const second = await source.get();
    expect(second).not.toBe(first);
    await Promise.resolve();
    expect(made.map((m) => m.disconnected)).toEqual([true, false]);
  });

  test('a failed connect is not kept: the next get tries again', async () => {
    const { made, create } = fakeProducers(1);
    const source = renewingProducer(create);
    await expect(source.get()).rejects.toThrow('broker down');
    await expect(source.get()).resolves.toBeDefined();
    expect(made.map((m) => m.connected)).toEqual([false, true]);
  });

  test('disconnect releases the current producer, and is harmless when there is none', async () => {
    const { made, create } = fakeProducers();
    const source = renewingProducer(create);
    await source.disconnect();
    await source.get();
    await source.disconnect();
    expect(made.map((m) => m.disconnected)).toEqual([true]);
  });
});
