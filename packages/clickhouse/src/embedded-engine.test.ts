import { describe, expect, test } from 'vitest';
import { embeddedEngineArgs } from './embedded-engine.ts';

describe('embeddedEngineArgs', () => {
  test('no limits: no arguments, the engine keeps its defaults', () => {
    expect(embeddedEngineArgs()).toEqual([]);
    expect(embeddedEngineArgs({ maxMemoryBytes: 0 })).toEqual([]);
  });

  test('the memory limit and one size for every data cache', () => {
    expect(embeddedEngineArgs({ maxMemoryBytes: 1_073_741_824, cacheBytes: 67_108_864 })).toEqual([
      '--max_server_memory_usage=1073741824',
      '--mark_cache_size=67108864',
      '--primary_index_cache_size=67108864',
      '--index_mark_cache_size=67108864',
      '--query_condition_cache_size=67108864',
    ]);
  });

  test("the merge threads' nice value, when above 0", () => {
    expect(embeddedEngineArgs({ mergeThreadsNice: 19 })).toEqual(['--os_threads_nice_value_merge_mutate=19']);
    expect(embeddedEngineArgs({ mergeThreadsNice: 0 })).toEqual([]);
  });
});
