import { describe, expect, it } from 'vitest';
import { createCliContext } from './cli-context.ts';
import { buildProgram } from './commands.ts';
import { decodeDeadLetterRetryRecord } from './dead-letter-retries.ts';
import { CliError, formatTable, toJson } from './output.ts';
import { parseReplayTarget } from './replay.ts';
import { streamLayouts } from './streams.ts';

describe('parseReplayTarget', () => {
  it('takes exactly one target', () => {
    expect(parseReplayTarget({ toOffset: '42' })).toEqual({ kind: 'offset', offset: 42n });
    expect(parseReplayTarget({ toTime: '2026-03-01T10:00:00+01:00' })).toEqual({
      kind: 'time',
      timestampMs: Date.parse('2026-03-01T09:00:00Z'),
    });
    expect(parseReplayTarget({ toEarliest: true })).toEqual({ kind: 'earliest' });
    expect(parseReplayTarget({ toLatest: true })).toEqual({ kind: 'latest' });
    expect(() => parseReplayTarget({})).toThrow(CliError);
    expect(() => parseReplayTarget({ toEarliest: true, toLatest: true })).toThrow(/exactly one/);
  });
  it('refuses a bad offset and an instant without a zone', () => {
    expect(() => parseReplayTarget({ toOffset: '-1' })).toThrow(/whole number/);
    expect(() => parseReplayTarget({ toTime: '2026-03-01T10:00:00' })).toThrow(/with a zone/);
  });
});

describe('output', () => {
  it('aligns columns, numbers to the right, missing values as -', () => {
    expect(
      formatTable(
        ['topic', 'partition', 'committed'],
        [
          ['events.raw', 0, null],
          ['events.raw', 10, 1234n],
        ],
      ),
    ).toBe(
      [
        'topic       partition  committed',
        'events.raw          0          -',
        'events.raw         10       1234',
      ].join('\n'),
    );
  });
  it('aligns a column of missing values only like numbers (as the same column of another block)', () => {
    expect(
      formatTable(
        ['topic', 'partition', 'committed'],
        [
          ['sensor.alerts', 0, null],
          ['sensor.alerts', 1, undefined],
        ],
      ),
    ).toBe(
      [
        'topic          partition  committed',
        'sensor.alerts          0          -',
        'sensor.alerts          1          -',
      ].join('\n'),
    );
  });
  it('writes bigints as strings in JSON', () => {
    expect(JSON.parse(toJson({ offset: 12n }))).toEqual({ offset: '12' });
  });
});

describe('dead-letter retry records', () => {
  it('decodes a v1 record and refuses anything else', () => {
    const record = {
      v: 1,
      batchId: 'b',
      seq: 2,
      eventId: 'E-1',
      retriedAs: 'n',
      retriedSeq: 0,
      retriedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(decodeDeadLetterRetryRecord(record)).toEqual({ ok: true, value: record });
    expect(decodeDeadLetterRetryRecord({ ...record, v: 2 }).ok).toBe(false);
    expect(decodeDeadLetterRetryRecord(null).ok).toBe(false);
  });
});

describe('--help', () => {
  it('every command has help, without any configuration or system', () => {
    const program = buildProgram(() => {
      throw new Error('no context needed for help');
    });
    const names = (cmd: typeof program): string[] =>
      cmd.commands.flatMap((c) => [c.name(), ...names(c).map((n) => `${c.name()} ${n}`)]);
    expect(names(program)).toEqual([
      'status',
      'replay',
      'dead-letters',
      'dead-letters list',
      'dead-letters show',
      'dead-letters retry',
      'rebuild',
      'reset-derived',
      'keys',
      'keys create',
      'keys list',
      'keys revoke',
    ]);
    for (const c of program.commands) {
      expect(c.helpInformation()).toContain(`Usage: shopfloor ${c.name()}`);
      for (const sub of c.commands)
        expect(sub.helpInformation()).toContain(`Usage: shopfloor ${c.name()} ${sub.name()}`);
    }
  });
});

describe('stream layouts', () => {
  it("name every stream's groups and topics as the services do, under the topic prefix", () => {
    const { config } = createCliContext(
      {},
      { SHOPFLOOR_TOPIC_PREFIX: 'p.', SHOPFLOOR_DATA_DIR: '/tmp/sf', KAFKA_BROKERS: '127.0.0.1:1' },
      () => {},
    );
    const [events, sensors, metric] = streamLayouts(config);
    expect(events).toMatchObject({
      processor: { group: 'shopfloor-dedupe', topics: ['p.events.raw'] },
      projectors: [{ group: 'shopfloor-projector', topics: ['p.events.change-batches', 'p.events.dlq'] }],
      localStateDir: '/tmp/sf/state/default',
    });
    expect(sensors).toMatchObject({
      processor: { group: 'shopfloor-sensors', topics: ['p.sensor.readings.raw'] },
      stateTopics: ['p.sensor.state', 'p.sensor.reading-identities'],
      projectors: [
        {
          group: 'shopfloor-sensor-projector',
          topics: [
            'p.sensor.reading-batches',
            'p.sensor.readings',
            'p.sensor.alert-resolutions',
            'p.sensor.dlq',
          ],
        },
        { group: 'shopfloor-sensor-projector-alerts', topics: ['p.sensor.alerts'] },
      ],
      localStateDir: null,
    });
    expect(metric).toMatchObject({
      processor: { group: 'p.shopfloor-metric-events', topics: ['p.metric.events.raw'] },
      stateTopics: ['p.metric.events.state'],
      projectors: [
        {
          group: 'p.shopfloor-metric-events-projector',
          topics: ['p.metric.events.processed', 'p.metric.events.failed'],
        },
      ],
      deadLetterTopic: 'p.metric.events.failed',
      localStateDir: '/tmp/sf/metric-state/default',
    });
  });
});
