import { ok, type StepResult } from '@shopfloor/contracts';
import type { ConsumedMessage } from '@shopfloor/kafka';
import {
  type AlertRecord,
  isIdentityKey,
  type ProcessedReadingRecord,
  SENSOR_WIRE_VERSION,
  type SensorProcessor,
} from '@shopfloor/sensors';
import type { TopicMessages } from '@shopfloor/stream-runner';
import type { SensorCodecs } from './sensor-codecs.ts';
import type { SensorTopics } from './sensor-topics.ts';

export type ProcessedReadings = {
  topicMessages: TopicMessages[];
  processed: number;
  duplicates: number;
  undecodable: number;
  alerts: AlertRecord[];
  /** Changelog records of the transaction, how many of them are window records, and their bytes (keys and values). */
  stateRecords: number;
  windowRecords: number;
  stateBytes: number;
  /** Series whose changelog runs could not be put together (they started over); for the log. */
  unrestorableWindows: { series: string; reason: string }[];
};

/**
 * One partition batch of raw readings through the partition's processor, in log order: decode,
 * dedupe, detect; then encode what the batch's transaction writes: the changelog entries (windows to
 * sensor.state, reading identities, one pack per batch without a horizon, to
 * sensor.reading-identities), the
 * decision on every reading (accepted with its assessment, or duplicate) and the alerts to the
 * input's partition, undecodable records to the dead-letter topic. Bad records are
 * parked, never thrown. The processor is left ahead of the log until the transaction commits; the
 * runner restores it again if the commit fails.
 */
export function createProcessReadingsStep(deps: {
  codecs: SensorCodecs;
  topics: Pick<SensorTopics, 'state' | 'identities' | 'processedBatches' | 'alerts' | 'deadLetter'>;
}) {
  const { codecs, topics } = deps;
  return async function processReadings(
    processor: SensorProcessor,
    partition: number,
    messages: readonly ConsumedMessage[],
  ): Promise<StepResult<ProcessedReadings>> {
    const alerts: AlertRecord[] = [];
    const deadLetters: TopicMessages['messages'] = [];
    const decisions: ProcessedReadingRecord[] = [];
    let processed = 0;
    let duplicates = 0;
    for (const m of messages) {
      const decoded = await codecs.raw.decode(m.value);
      if (!decoded.ok) {
        deadLetters.push({
          key: m.key,
          value: codecs.deadLetter.encode({
            v: SENSOR_WIRE_VERSION,
            batchId: null,
            seq: null,
            batchSize: null,
            receivedAt: Number(m.timestamp),
            readingId: null,
            reason: 'UNDECODABLE_RECORD',
            message: `partition ${partition} offset ${m.offset}: ${decoded.error}`,
            payloadJson: m.value?.toString('utf8') ?? '',
          }),
        });
        continue;
      }
      const raw = decoded.value;
      const outcome = processor.process(raw.reading, raw.receivedAt);
      const duplicate = outcome.kind === 'duplicate';
      if (duplicate) duplicates++;
      else {
        processed++;
        if (outcome.alert !== null) alerts.push(outcome.alert);
      }
      // A duplicate is written too (assessment `duplicate`): it completes its batch's outcome.
      const assessment = duplicate ? null : outcome.assessment;
      decisions.push({
        v: SENSOR_WIRE_VERSION,
        readingKey: outcome.readingKey,
        batchId: raw.batchId,
        seq: raw.seq,
        batchSize: raw.batchSize,
        receivedAt: raw.receivedAt,
        reading: raw.reading,
        assessment: assessment?.kind ?? 'duplicate',
        zScore: assessment === null || assessment.kind === 'warming-up' ? null : assessment.zScore,
        alertId: duplicate ? null : (outcome.alert?.alertId ?? null),
      });
    }
    const changes = processor.drainChanges();
    let windowRecords = 0;
    let stateBytes = 0;
    const state: TopicMessages['messages'] = [];
    const identities: TopicMessages['messages'] = [];
    for (const c of changes) {
      if (c.value?.window != null || c.value?.slots != null) windowRecords++;
      // Identities apart from the windows: compaction of the windows then never copies them again.
      const identity = isIdentityKey(c.key);
      const codec = identity ? codecs.identities : codecs.state;
      // A tombstone (an identity past the state horizon, a replaced whole window) is null, never encoded.
      const value = c.value === null ? null : codec.encode(c.value);
      stateBytes += Buffer.byteLength(c.key) + (value?.length ?? 0);
      (identity ? identities : state).push({ key: c.key, value, partition });
    }
    const alertMessages = alerts.map((a) => ({
      key: a.equipmentId,
      value: codecs.alerts.encode(a),
      partition,
    }));
    const topicMessages = [
      { topic: topics.state, messages: state },
      { topic: topics.identities, messages: identities },
      // One record for the batch's decisions (no key: the partition is the input's).
      {
        topic: topics.processedBatches,
        messages:
          decisions.length === 0
            ? []
            : [
                {
                  key: null,
                  partition,
                  value: codecs.processedBatches.encode({ v: SENSOR_WIRE_VERSION, readings: decisions }),
                },
              ],
      },
      { topic: topics.alerts, messages: alertMessages },
      { topic: topics.deadLetter, messages: deadLetters },
    ].filter((t) => t.messages.length > 0);
    return ok({
      topicMessages,
      processed,
      duplicates,
      undecodable: deadLetters.length,
      alerts,
      stateRecords: state.length + identities.length,
      windowRecords,
      stateBytes,
      unrestorableWindows: processor.drainUnrestorableWindows(),
    });
  };
}

export type ProcessReadings = ReturnType<typeof createProcessReadingsStep>;
