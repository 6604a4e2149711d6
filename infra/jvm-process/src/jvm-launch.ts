import { spawn } from 'node:child_process';
import { closeSync, openSync, renameSync, statSync } from 'node:fs';

/**
 * The wrapper owns the java process. It forwards SIGTERM, waits until java has really exited (so a
 * stopper that waits for the wrapper knows the ports are free), and, when given a pid to watch,
 * stops java once that pid is gone (SIGTERM, SIGKILL after the grace seconds): a crashed test
 * runner never leaves a JVM behind. Positional args: watched pid ('' for none), grace seconds,
 * then the java command line.
 */
const WRAPPER = `
watch="$1"; grace="$2"; shift 2
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
if [ -n "$watch" ]; then
  while kill -0 "$child" 2>/dev/null; do
    if ! kill -0 "$watch" 2>/dev/null; then
      echo "$0: watched process $watch is gone, stopping it"
      kill -TERM "$child" 2>/dev/null
      waited=0
      while [ "$waited" -lt "$grace" ] && kill -0 "$child" 2>/dev/null; do
        sleep 1
        waited=$((waited + 1))
      done
      kill -KILL "$child" 2>/dev/null
      break
    fi
    sleep 1
  done
fi
status=0
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
exit $status
`;

export interface JvmLaunch {
  /** The wrapper's process name, also the prefix of its own log lines ("shopfloor-kafka"). */
  name: string;
  /** The whole java command line: the java binary, JVM flags, then the main class or `-jar` and its args. */
  command: string[];
  /** stdout and stderr are appended here (one old copy kept past 20 MB). */
  logPath: string;
  /** Stop the JVM when this pid exits (e.g. the test runner's). */
  watchParentPid?: number | undefined;
  /** How long a JVM whose watched pid is gone gets between SIGTERM and SIGKILL. */
  watchGraceSeconds: number;
  cwd: string;
}

/** Starts the JVM detached under the wrapper (the leader of its own process group); returns its pid. */
export function launchJvm(input: JvmLaunch): number {
  rotateLog(input.logPath);
  const out = openSync(input.logPath, 'a');
  try {
    const child = spawn(
      'bash',
      [
        '-c',
        WRAPPER,
        input.name,
        input.watchParentPid ? String(input.watchParentPid) : '',
        String(input.watchGraceSeconds),
        ...input.command,
      ],
      { detached: true, stdio: ['ignore', out, out], cwd: input.cwd },
    );
    child.unref();
    if (child.pid === undefined) throw new Error(`could not spawn bash to run ${input.name}`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Keeps one previous log so the data dir does not grow without bound. */
function rotateLog(logPath: string, maxBytes = 20 * 1024 * 1024): void {
  try {
    if (statSync(logPath).size > maxBytes) renameSync(logPath, `${logPath}.1`);
  } catch {
    // no log yet
  }
}
