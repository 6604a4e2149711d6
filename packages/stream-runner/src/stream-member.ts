import type { StreamRunner, StreamRunnerOptions } from './stream-runner.ts';

/** The options every stream's member takes from its service, besides its codecs, topics and state. */
export type StreamMemberOptions = Pick<
  StreamRunnerOptions<{ readonly partition: number }, unknown>,
  'kafka' | 'groupId' | 'partitions' | 'log' | 'sessionTimeoutMs' | 'memberIdDir'
>;

/** What a stream's member shows its service: the runner (its state kept inside) and its counters. */
export type StreamMember<Counters> = Omit<StreamRunner<unknown>, 'stateOf'> & { counters: Counters };

export function streamMember<Counters>(
  runner: StreamRunner<unknown>,
  counters: Counters,
): StreamMember<Counters> {
  return {
    counters,
    assigned: runner.assigned,
    restoreProgress: runner.restoreProgress,
    stopped: runner.stopped,
    stop: runner.stop, // aborts a restore still running, then leaves the group
  };
}
