import type { Consumer } from './types.ts';

/**
 * Settles with the reason once `consumer` stopped on its own and kafkajs will not restart it: its
 * handler threw a non-retriable error (ConsumerStopError, the `stop` policy) or kafkajs gave up on
 * one. kafkajs only logs that and leaves the process running, consuming nothing; whoever owns the
 * consumer decides what a stop means (the services' mains exit, see exitWhenAMemberStops in @shopfloor/ops).
 * The reason is what kafkajs wrapped, when it wrapped something.
 */
export function consumerStopped(consumer: Pick<Consumer, 'on' | 'events'>): Promise<Error> {
  return new Promise<Error>((resolve) => {
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      const { error } = event.payload;
      const reason = error.cause instanceof Error ? error.cause : error;
      resolve(isFencedInstance(reason) ? new DuplicateMemberError(reason) : reason);
    });
  });
}

/**
 * The member stopped because a newer one joined its group with the same static instance id: two
 * live processes load one member id (loadMemberId: the same data dir and SHOPFLOOR_INSTANCE_ID).
 */
export class DuplicateMemberError extends Error {
  override readonly name = 'DuplicateMemberError';
  constructor(cause: Error) {
    super(
      "another process joined the group with this process's member id (the same SHOPFLOOR_DATA_DIR and " +
        `SHOPFLOOR_INSTANCE_ID): give each process its own; the broker said: ${cause.message}`,
      { cause },
    );
  }
}

const isFencedInstance = (error: Error) => (error as { type?: unknown }).type === 'FENCED_INSTANCE_ID';

/** A member of a process (a stream's processor, a projector, a listener) that stopped for good. */
export type MemberStop = { member: string; reason: Error };

/** The first of `members` (each one's name and `stopped`) to stop for good; never settles if none does. */
export function firstMemberStop(members: Record<string, Promise<Error>>): Promise<MemberStop> {
  return Promise.race(
    Object.entries(members).map(([member, stopped]) => stopped.then((reason) => ({ member, reason }))),
  );
}
