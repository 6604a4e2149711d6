import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lmdbStateStores, storedAsIs } from '@shopfloor/dedupe';
import { expect, test } from 'vitest';
import { lmdbResidentBytes, residentBytesOfFiles } from './mapped-memory.ts';

const smaps = `55d0c0000000-55d0c1000000 r-xp 00000000 08:01 1234    /usr/bin/node
Size:              16384 kB
Rss:                9000 kB
7f0000000000-7f0040000000 r--s 00000000 08:01 777     /tmp/x/state/default/data.mdb
Size:            1048576 kB
Rss:              300000 kB
Pss:              300000 kB
7f0040000000-7f0040100000 rw-p 00000000 00:00 0
Size:               1024 kB
Rss:                1024 kB
7f0050000000-7f0051000000 r--s 00000000 08:01 778     /tmp/x/sensor-state/a/identities/data.mdb
Rss:               20000 kB
7f0060000000-7f0060001000 rw-s 00000000 08:01 779     /tmp/x/state/default/lock.mdb
Rss:                   4 kB
`;

test('sums the resident pages of the matching file mappings only', () => {
  expect(residentBytesOfFiles(smaps, (f) => f.endsWith('.mdb'))).toBe((300000 + 20000 + 4) * 1024);
  expect(residentBytesOfFiles(smaps, (f) => f === '/usr/bin/node')).toBe(9000 * 1024);
  expect(residentBytesOfFiles(smaps, () => false)).toBe(0);
});

test('anonymous mappings are never counted', () => {
  expect(residentBytesOfFiles(smaps, () => true)).toBe((9000 + 300000 + 20000 + 4) * 1024);
});

test("counts this process's own LMDB pages once a store is read", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mapped-memory-test-'));
  const stores = lmdbStateStores(dir, storedAsIs<{ receivedAt: number; pad: string }>());
  try {
    const before = lmdbResidentBytes()!;
    const store = stores.open(0);
    const writes = Array.from(
      { length: 2000 },
      (_, i) => [`k${i}`, { receivedAt: i, pad: 'x'.repeat(200) }] as const,
    );
    store.apply(writes, '1');
    for (let i = 0; i < 2000; i++) store.get(`k${i}`);
    expect(lmdbResidentBytes()!).toBeGreaterThan(before + 200 * 1024); // ~500 KiB of leaf pages read
  } finally {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
