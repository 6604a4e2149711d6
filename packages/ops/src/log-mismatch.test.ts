import { describe, expect, it } from 'vitest';
import { findLogMismatches, LogMismatchError, RESET_DERIVED_COMMAND } from './log-mismatch.ts';

const log = {
  topicIds: new Map([['events.changes', 'id-now']]),
  ranges: new Map([
    [
      'events.changes',
      [
        { partition: 0, start: 0n, end: 10n },
        { partition: 1, start: 5n, end: 8n },
      ],
    ],
  ]),
};
const store = 'the ClickHouse projection';

describe('findLogMismatches', () => {
  it('agrees when ids match and positions lie within the log (the end itself included)', () => {
    expect(
      findLogMismatches({
        store,
        recordedTopicIds: new Map([['events.changes', 'id-now']]),
        positions: [
          { topic: 'events.changes', partition: 0, next: 10n },
          { topic: 'events.changes', partition: 1, next: 8n, needsFrom: 5n },
        ],
        log,
      }),
    ).toEqual([]);
  });

  it('names a re-created topic (another topic id)', () => {
    const [m] = findLogMismatches({
      store,
      recordedTopicIds: new Map([['events.changes', 'id-before']]),
      positions: [],
      log,
    });
    expect(m).toContain('events.changes has topic id id-now');
    expect(m).toContain('built from topic id id-before');
  });

  it('names a missing topic, a missing partition, a position past the end and a group no longer readable', () => {
    const found = findLogMismatches({
      store,
      recordedTopicIds: new Map([['events.dlq', 'x']]),
      positions: [
        { topic: 'events.changes', partition: 0, next: 11n },
        { topic: 'events.changes', partition: 1, next: 7n, needsFrom: 4n },
        { topic: 'events.changes', partition: 2, next: 1n },
      ],
      log,
    });
    expect(found).toEqual([
      'events.dlq does not exist, but the ClickHouse projection was built from it',
      'events.changes partition 0: the ClickHouse projection is at offset 11, but the log ends at 10',
      'events.changes partition 1: the ClickHouse projection must re-read from offset 4, but the log starts at 5',
      'events.changes has no partition 2, but the ClickHouse projection holds a position on it',
    ]);
  });

  it('the error names the service, every mismatch and the fix command', () => {
    const err = new LogMismatchError('the projector', ['a', 'b']);
    expect(err.message).toContain('the projector refuses to start');
    expect(err.message).toContain('  - a\n  - b');
    expect(err.message).toContain(RESET_DERIVED_COMMAND);
  });
});
