import { readFileSync } from 'node:fs';

/**
 * Resident bytes of a process's file mappings whose path `matches`, summed from the text of
 * /proc/<pid>/smaps (each mapping: a header line `start-end perms offset dev inode [path]`, then
 * `Field: N kB` lines, of which Rss is the resident part).
 */
export function residentBytesOfFiles(smaps: string, matches: (file: string) => boolean): number {
  let total = 0;
  let counting = false;
  for (const line of smaps.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      counting = header[1] !== '' && matches(header[1]!);
      continue;
    }
    if (counting && line.startsWith('Rss:')) total += Number(/(\d+) kB/.exec(line)?.[1] ?? 0) * 1024;
  }
  return total;
}

/** What of this process's RSS is LMDB's maps (`*.mdb`: the dedupe state, the sensors' stores): file pages, reclaimable. */
export function lmdbResidentBytes(): number | undefined {
  try {
    return residentBytesOfFiles(readFileSync('/proc/self/smaps', 'utf8'), (f) => f.endsWith('.mdb'));
  } catch {
    return undefined; // not Linux
  }
}
