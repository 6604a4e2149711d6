// A starter process of member-id.test.ts: `member-id.starter.ts <startAtMs> <dir>...`. Round i
// begins at startAtMs + i * 50 ms (a busy wait, so that every starter leaves it within the same
// millisecond); it loads the member id of the i-th directory and prints it on a line.
import { loadMemberId } from './member-id.ts';

const [startAt, ...dirs] = process.argv.slice(2);
for (const [round, dir] of dirs.entries()) {
  const at = Number(startAt) + round * 50;
  while (Date.now() < at) {
    // busy wait: a timer would release the starters milliseconds apart
  }
  process.stdout.write(`${loadMemberId(dir)}\n`);
}
