import type { MemberStop } from '@shopfloor/kafka';

/** The exit code of a process one of whose members stopped for good. */
export const MEMBER_STOPPED_EXIT_CODE = 1;

/**
 * A process whose consumer-group member stopped for good (kafkajs gave up and will not restart it:
 * a fatal error, the bad-record policy `stop`) would otherwise go on answering HTTP, `/ready`
 * included, and consume nothing. It shuts down instead (`shutdown` is the main's, from
 * stopOnSignals) and exits 1, so that whoever supervises it sees and restarts it; meanwhile the
 * member's partitions move to the other members of its group. `stops`: the services' `stopped`.
 */
export function exitWhenAMemberStops(
  log: { fatal(obj: object, msg: string): void },
  stops: readonly Promise<MemberStop>[],
  shutdown: (exitCode: number) => void,
): void {
  void Promise.race(stops).then(({ member, reason }) => {
    log.fatal(
      { member, err: reason },
      `${member} stopped for good: stopping the process (exit ${MEMBER_STOPPED_EXIT_CODE}) for its supervisor to restart it`,
    );
    shutdown(MEMBER_STOPPED_EXIT_CODE);
  });
}
