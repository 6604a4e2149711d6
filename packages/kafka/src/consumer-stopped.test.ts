import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { consumerStopped, DuplicateMemberError, firstMemberStop } from './consumer-stopped.ts';

/** The part of a kafkajs consumer consumerStopped uses: its CRASH instrumentation event. */
function crashingConsumer() {
  const emitter = new EventEmitter();
  const events = { CRASH: 'consumer.crash' } as const;
  return {
    consumer: {
      events,
      on: (event: string, listener: (e: { payload: unknown }) => void) => {
        emitter.on(event, listener);
        return () => emitter.off(event, listener);
      },
    } as unknown as Parameters<typeof consumerStopped>[0],
    crash: (error: Error, restart: boolean) =>
      emitter.emit(events.CRASH, { payload: { error, groupId: 'g', restart } }),
  };
}

const settled = async <T>(p: Promise<T>) =>
  Promise.race([p.then((v) => ({ value: v })), new Promise((r) => setTimeout(() => r('pending'), 20))]);

describe('consumerStopped', () => {
  it('ignores a crash that kafkajs restarts from, settles on the first it does not', async () => {
    const { consumer, crash } = crashingConsumer();
    const stopped = consumerStopped(consumer);
    crash(new Error('connection lost'), true);
    expect(await settled(stopped)).toBe('pending');
    const fatal = new Error('bad record at offset 7');
    crash(fatal, false);
    expect(await stopped).toBe(fatal);
  });

  it('gives what kafkajs wrapped as the reason', async () => {
    const { consumer, crash } = crashingConsumer();
    const stopped = consumerStopped(consumer);
    const cause = new Error('the group coordinator refused');
    crash(Object.assign(new Error('KafkaJSNonRetriableError'), { cause }), false);
    expect(await stopped).toBe(cause);
  });

  it('names a fenced static member for what it is: another process with the same member id', async () => {
    const { consumer, crash } = crashingConsumer();
    const stopped = consumerStopped(consumer);
    const fenced = Object.assign(new Error('The broker rejected this static consumer'), {
      name: 'KafkaJSProtocolError',
      type: 'FENCED_INSTANCE_ID',
    });
    crash(fenced, false);
    const reason = await stopped;
    expect(reason).toBeInstanceOf(DuplicateMemberError);
    expect(reason.message).toBe(
      "another process joined the group with this process's member id (the same SHOPFLOOR_DATA_DIR and " +
        'SHOPFLOOR_INSTANCE_ID): give each process its own; the broker said: The broker rejected this static consumer',
    );
    expect(reason.cause).toBe(fenced);
  });
});

describe('firstMemberStop', () => {
  it('names the first member to stop, with its reason', async () => {
    let stopProjector!: (e: Error) => void;
    const stop = firstMemberStop({
      processor: new Promise(() => {}),
      projector: new Promise((resolve) => {
        stopProjector = resolve;
      }),
    });
    expect(await settled(stop)).toBe('pending');
    const reason = new Error('undecodable');
    stopProjector(reason);
    expect(await stop).toEqual({ member: 'projector', reason });
  });

  it('never settles without members', async () => {
    expect(await settled(firstMemberStop({}))).toBe('pending');
  });
});
