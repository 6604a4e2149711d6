import { describe, expect, test } from 'vitest';
import { HttpError } from './errors.ts';
import { InflightLimit } from './inflight-limit.ts';

const deferred = () => {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
};

describe('InflightLimit', () => {
  test('sheds a request past the bound with OVERLOADED without running it, and admits again once released', async () => {
    const gauge: number[] = [];
    const limit = new InflightLimit(10, (n) => gauge.push(n));
    const first = deferred();
    const held = limit.hold(8, () => first.done);
    expect(limit.inflight).toBe(8);
    let ran = false;
    const shed = limit.hold(3, async () => {
      ran = true;
    });
    await expect(shed).rejects.toMatchObject({ code: 'OVERLOADED', status: 503, retryAfterSeconds: 1 });
    await expect(shed).rejects.toBeInstanceOf(HttpError);
    expect(ran).toBe(false);
    await limit.hold(2, async () => expect(limit.inflight).toBe(10));
    first.release();
    await held;
    expect(limit.inflight).toBe(0);
    await expect(limit.hold(3, async () => 'ok')).resolves.toBe('ok');
    expect(gauge).toEqual([8, 10, 8, 0, 3, 0]);
  });

  test('one request larger than the bound passes when nothing is held; a failure releases its count', async () => {
    const limit = new InflightLimit(5);
    await expect(limit.hold(50, async () => 'big')).resolves.toBe('big');
    await expect(
      limit.hold(3, async () => {
        throw new Error('kafka down');
      }),
    ).rejects.toThrow('kafka down');
    expect(limit.inflight).toBe(0);
  });

  test('take holds until released, once however often the release is called, and sheds like hold', () => {
    const gauge: number[] = [];
    const limit = new InflightLimit(4, (n) => gauge.push(n));
    const release = limit.take(3);
    expect(() => limit.take(2)).toThrow(expect.objectContaining({ code: 'OVERLOADED' }));
    expect(limit.inflight).toBe(3);
    release();
    release();
    expect(limit.inflight).toBe(0);
    limit.take(4)();
    expect(gauge).toEqual([3, 0, 4, 0]);
  });
});
