import { InMemoryStateStore } from '@shopfloor/dedupe';
import type { ConsumedMessage } from '@shopfloor/kafka';
import type { MetricStateRecord } from '@shopfloor/metric-events';
import { describe, expect, it } from 'vitest';
import { jsonMetricCodecs } from './metric-codecs.ts';
import { intakeMetricEvents } from './metric-intake.ts';
import { metricTopics } from './metric-topics.ts';
import { createProcessMetricEventsStep, type MetricBatchCounts } from './process-metric-events-step.ts';

const codecs = jsonMetricCodecs();
const topics = metricTopics('t.');
const event = (amount: number, over: Record<string, unknown> = {}) => ({
  client_id: 'c-1',
  payload: { metric: 'clicks', amount, timestamp: '2026-03-01T10:00:00.000Z' },
  ...over,
});

let offset = 0;
function messagesOf(elements: unknown[], requestId: string): ConsumedMessage[] {
  const intake = intakeMetricEvents(elements, { requestId, receivedAt: 1_000, allowSimulatedFailures: true });
  return intake.raw.map((r) => ({
    key: Buffer.from(r.id),
    value: codecs.raw.encode(r),
    offset: String(offset++),
    timestamp: '1000',
    attributes: 0,
    headers: {},
  })) as unknown as ConsumedMessage[];
}

/** The step on one fetched batch of `partition`; `committed` runs the commit's side with `checkpoint`. */
async function runStep(
  step: ReturnType<typeof createProcessMetricEventsStep>,
  store: InMemoryStateStore<MetricStateRecord>,
  partition: number,
  messages: ConsumedMessage[],
) {
  const result = await step(store, {
    partition,
    messages,
    lastOffset: messages.at(-1)?.offset ?? '0',
    heartbeat: async () => {},
    isActive: () => true,
  });
  if (result.kind !== 'ok') throw new Error(`not ok: ${result.reason}`);
  return {
    topicMessages: result.value.topicMessages,
    committed: (checkpoint: string | undefined) => result.value.committed({ checkpoint, transactionMs: 1 }),
  };
}

async function decoded<T>(
  codec: { decode(b: Buffer): Promise<{ ok: boolean; value?: T }> },
  messages: { value: unknown }[],
) {
  const out: T[] = [];
  for (const m of messages) {
    const d = await codec.decode(m.value as Buffer);
    if (d.ok) out.push(d.value as T);
  }
  return out;
}

describe('processMetricEvents', () => {
  it('writes state and decisions to the input partition and failures to the failed topic; the store waits for the commit', async () => {
    const counts: MetricBatchCounts[] = [];
    const step = createProcessMetricEventsStep({ codecs, topics, onCommitted: (c) => counts.push(c) });
    const store = new InMemoryStateStore<MetricStateRecord>(2);
    const garbage = {
      key: Buffer.from('k'),
      value: Buffer.from('{nope'),
      offset: '99',
      timestamp: '5',
    } as unknown as ConsumedMessage;
    const messages = [
      ...messagesOf([event(1), event(1), event(2, { simulateFailure: true })], 'r1'),
      garbage,
    ];
    const result = await runStep(step, store, 2, messages);
    const byTopic = new Map(result.topicMessages.map((t) => [t.topic, t.messages]));
    expect([...byTopic.keys()]).toEqual([topics.state, topics.processed, topics.failed]);
    expect(byTopic.get(topics.state)?.every((m) => m.partition === 2)).toBe(true);
    expect(byTopic.get(topics.processed)?.every((m) => m.partition === 2)).toBe(true);
    const processed = await decoded<{ duplicate: boolean }>(
      codecs.processed,
      byTopic.get(topics.processed) ?? [],
    );
    expect(processed.map((p) => p.duplicate)).toEqual([false, true]);
    const failed = await decoded<{ reason: string }>(codecs.failed, byTopic.get(topics.failed) ?? []);
    expect(failed.map((f) => f.reason).sort()).toEqual(['SIMULATED_FAILURE', 'UNDECODABLE_RECORD']);

    expect(store.count()).toBe(0); // nothing before the commit
    expect(counts).toEqual([]);
    result.committed('7');
    expect(store.count()).toBe(1);
    expect(store.checkpoint()).toBe('7');
    expect(counts).toEqual([{ processed: 1, duplicates: 1, failed: 1, undecodable: 1 }]);
  });

  it('answers a later copy as a duplicate, and processes a simulated failure sent again without the flag', async () => {
    const counts: MetricBatchCounts[] = [];
    const step = createProcessMetricEventsStep({ codecs, topics, onCommitted: (c) => counts.push(c) });
    const store = new InMemoryStateStore<MetricStateRecord>(0);
    const first = await runStep(step, store, 0, messagesOf([event(5, { simulateFailure: true })], 'r1'));
    first.committed(undefined);
    expect(counts[0]).toMatchObject({ processed: 0, failed: 1 });
    expect(store.checkpoint()).toBe('0');
    const second = await runStep(step, store, 0, messagesOf([event(5)], 'r2'));
    second.committed('3');
    expect(counts[1]).toMatchObject({ processed: 1, failed: 0 });
    const third = await runStep(step, store, 0, messagesOf([event(5, { source: 'elsewhere' })], 'r3'));
    third.committed('4');
    expect(counts[2]).toMatchObject({ processed: 0, duplicates: 1 });
    expect(third.topicMessages.map((t) => t.topic)).toEqual([topics.processed]);
  });
});
