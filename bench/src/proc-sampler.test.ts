import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { ProcSampler } from './proc-sampler.ts';

test('a process untracked leaves the progress figures at once', async () => {
  const sampler = new ProcSampler(5);
  try {
    sampler.track('self', process.pid);
    for (let i = 0; i < 100 && !('self' in sampler.current()); i++) await sleep(5);
    expect(Object.keys(sampler.current())).toEqual(['self']);
    sampler.untrack('self');
    expect(sampler.current()).toEqual({});
  } finally {
    sampler.stop();
  }
});
