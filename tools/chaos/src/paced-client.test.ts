import { seededRandom } from '@shopfloor/contracts/testing';
import { describe, expect, it } from 'vitest';
import { sendPaced, uniformBatchSize } from './paced-client.ts';

describe('sendPaced', () => {
  it('sends exactly the quota, the last batch cut to what is left, sizes within the bounds', async () => {
    const sizes: number[] = [];
    await sendPaced({ quota: 103, durationMs: 0 }, uniformBatchSize(seededRandom(7), 5, 20), async (n) => {
      sizes.push(n);
    });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(103);
    expect(sizes.slice(0, -1).every((n) => n >= 5 && n <= 20)).toBe(true);
    expect(sizes.at(-1)).toBeLessThanOrEqual(20);
  });

  it('the same seed gives the same batches', async () => {
    const run = async () => {
      const sizes: number[] = [];
      await sendPaced({ quota: 50, durationMs: 0 }, uniformBatchSize(seededRandom(3), 1, 9), async (n) => {
        sizes.push(n);
      });
      return sizes;
    };
    expect(await run()).toEqual(await run());
  });

  it('spreads the batches over durationMs and stops when the stop signal is raised', async () => {
    const at: number[] = [];
    const stopSignal = { stop: false };
    const t0 = Date.now();
    await sendPaced(
      { quota: 4, durationMs: 200, stopSignal },
      () => 1,
      async () => {
        at.push(Date.now() - t0);
        if (at.length === 3) stopSignal.stop = true;
      },
    );
    expect(at).toHaveLength(3);
    // Batch i is not sent before i/4 of the duration.
    expect(at[1]).toBeGreaterThanOrEqual(45);
    expect(at[2]).toBeGreaterThanOrEqual(95);
  });
});
