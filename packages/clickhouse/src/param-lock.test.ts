import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { paramLockBuffer, withParamLock } from './param-lock.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('statements under the lock run one at a time, in this thread', async () => {
  let running = 0;
  let most = 0;
  const statement = async () => {
    running++;
    most = Math.max(most, running);
    await sleep(5);
    running--;
  };
  await Promise.all(Array.from({ length: 6 }, () => withParamLock(statement)));
  expect(most).toBe(1);
});

test('a failed statement releases the lock', async () => {
  await expect(withParamLock(() => Promise.reject(new Error('bad statement')))).rejects.toThrow(
    'bad statement',
  );
  expect(await withParamLock(async () => 'next')).toBe('next');
});

test('a worker thread given the buffer waits while this thread holds the lock, without blocking either', async () => {
  // The worker takes the lock (its own code, on the shared cell) and says when it got it.
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const cell = new Int32Array(workerData);
    const alive = setInterval(() => {}, 60000); // a pending waitAsync alone does not keep a thread up
    (async () => {
      while (Atomics.compareExchange(cell, 0, 0, 1) !== 0) {
        const w = Atomics.waitAsync(cell, 0, 1);
        if (w.async) await w.value;
      }
      parentPort.postMessage(Date.now());
      Atomics.store(cell, 0, 0);
      Atomics.notify(cell, 0, 1);
      clearInterval(alive);
    })();
  `;
  let releasedAt = 0;
  let worker: Worker | undefined;
  let workerGot: Promise<number> | undefined;
  const got = withParamLock(async () => {
    worker = new Worker(source, { eval: true, workerData: paramLockBuffer() });
    const w = worker;
    workerGot = new Promise<number>((resolve) => w.once('message', resolve));
    const ticks = Date.now();
    await sleep(150); // the event loop runs while the worker waits
    expect(Date.now() - ticks).toBeGreaterThanOrEqual(140);
    releasedAt = Date.now();
  });
  await got;
  const workerGotAt = await workerGot;
  expect(workerGotAt).toBeGreaterThanOrEqual(releasedAt);
  await worker?.terminate();
});
