import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export function javaBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * The wrapper owns the java process. It forwards SIGTERM, waits until java has really exited (so a
 * stopper that waits for the wrapper knows the ports are free), and, when given a pid to watch,
 * stops java once that pid is gone: a crashed test runner never leaves a broker behind.
 * Positional args: java, classpath, server.properties, watched pid ('' for none), JVM flags...
 */
const WRAPPER = `
java="$1"; cp="$2"; props="$3"; watch="$4"; shift 4
"$java" "$@" -cp "$cp" kafka.Kafka "$props" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
if [ -n "$watch" ]; then
  while kill -0 "$child" 2>/dev/null; do
    if ! kill -0 "$watch" 2>/dev/null; then
      echo "shopfloor-kafka: watched process $watch is gone, stopping the broker"
      kill -TERM "$child" 2>/dev/null
      for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        kill -0 "$child" 2>/dev/null || break
        sleep 1
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

export interface LaunchInput {
  libsDir: string;
  serverPropertiesPath: string;
  logPath: string;
  jvmArgs: string[];
  watchParentPid?: number | undefined;
  cwd: string;
}

/** Starts the broker detached (its own process group), stdout/stderr appended to broker.log. */
export function launchBroker(input: LaunchInput): number {
  rotateLog(input.logPath);
  const out = openSync(input.logPath, 'a');
  try {
    const child = spawn(
      'bash',
      [
        '-c',
        WRAPPER,
        'shopfloor-kafka',
        javaBinary(),
        join(input.libsDir, '*'),
        input.serverPropertiesPath,
        input.watchParentPid ? String(input.watchParentPid) : '',
        ...input.jvmArgs,
      ],
      { detached: true, stdio: ['ignore', out, out], cwd: input.cwd },
    );
    child.unref();
    if (child.pid === undefined) throw new Error('could not spawn bash to run the Kafka broker');
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Formats the KRaft storage once; a formatted log dir is left alone. */
export async function formatStorage(input: {
  libsDir: string;
  serverPropertiesPath: string;
  log4jConfigPath: string;
  clusterId: string;
  logDir: string;
}): Promise<boolean> {
  if (existsSync(join(input.logDir, 'meta.properties'))) return false;
  await promisify(execFile)(javaBinary(), [
    '-Xmx256m',
    `-Dlog4j.configuration=file:${input.log4jConfigPath}`,
    '-cp',
    join(input.libsDir, '*'),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    input.clusterId,
    '-c',
    input.serverPropertiesPath,
    '--ignore-formatted',
  ]);
  return true;
}

/** Keeps one previous broker.log so the data dir does not grow without bound. */
function rotateLog(logPath: string, maxBytes = 20 * 1024 * 1024): void {
  try {
    if (statSync(logPath).size > maxBytes) renameSync(logPath, `${logPath}.1`);
  } catch {
    // no log yet
  }
}
