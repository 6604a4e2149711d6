import type { KeyEvent, KeyLog } from '@shopfloor/auth';
import type { KeyChangeRecord } from '@shopfloor/contracts';
import { createIdempotentProducer, type KafkaClient, type RecordCodec } from '@shopfloor/kafka';
import { followKeyLog } from './key-follower.ts';
import { keyChangeRecordOf } from './key-records.ts';

/**
 * The `KeyLog` port of `@shopfloor/auth` over the key topic: what `shopfloor keys` appends to and
 * reads. Each call connects and disconnects (a command runs one of them).
 */
export function kafkaKeyLog(deps: {
  kafka: KafkaClient;
  topic: string;
  codec: RecordCodec<KeyChangeRecord>;
}): KeyLog {
  return {
    async append(event: KeyEvent) {
      const producer = createIdempotentProducer(deps.kafka);
      await producer.connect();
      try {
        await producer.send({
          topic: deps.topic,
          acks: -1,
          messages: [{ key: event.keyId, value: deps.codec.encode(keyChangeRecordOf(event)) }],
        });
      } finally {
        await producer.disconnect();
      }
    },
    async readAll() {
      const events: KeyEvent[] = [];
      const follower = await followKeyLog({ ...deps, onEvent: (e) => events.push(e) });
      try {
        await follower.caughtUp();
      } finally {
        await follower.stop();
      }
      return events;
    },
  };
}
