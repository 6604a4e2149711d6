import { spawn } from 'node:child_process';
import { closeSync, openSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The wrapper owns the java process, like the broker's: it forwards SIGTERM, waits until java has
 * really exited, and, when given a pid to watch, stops java once that pid is gone, so a crashed
 * test runner never leaves a registry behind. Positional args: java, jar, watched pid ('' for
 * none), JVM flags...
 */
const WRAPPER = `
java="$1"; jar="$2"; watch="$3"; shift 3
"$java" "$@" -jar "$jar" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
if [ -n "$watch" ]; then
  while kill -0 "$child" 2>/dev/null; do
    if ! kill -0 "$watch" 2>/dev/null; then
      echo "shopfloor-registry: watched process $watch is gone, stopping the registry"
      kill -TERM "$child" 2>/dev/null
      for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
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

export interface RegistryLaunch {
  java: string;
  apicurioHome: string;
  port: number;
  /** Quarkus' management interface (health, metrics): its own port, loopback only. */
  managementPort: number;
  brokers: string[];
  journalTopic: string;
  heap: string;
  logPath: string;
  /** Names the data dir on the java command line, so a pid is only ever recognised as ours. */
  marker: string;
  watchParentPid?: number | undefined;
  cwd: string;
}

/** System properties of the registry: loopback only, KafkaSQL storage on our broker, quiet logs. */
export function registryJvmArgs(input: Omit<RegistryLaunch, 'java' | 'apicurioHome' | 'logPath' | 'cwd'>) {
  return [
    ...input.heap.split(/\s+/).filter(Boolean),
    input.marker,
    `-Dquarkus.http.host=127.0.0.1`,
    `-Dquarkus.http.port=${input.port}`,
    // Health and metrics are on a second port (9000 by default, build-time enabled): give it a free one.
    '-Dquarkus.management.host=127.0.0.1',
    `-Dquarkus.management.port=${input.managementPort}`,
    '-Dquarkus.http.access-log.enabled=false',
    '-Dquarkus.log.category."io.apicurio.registry.logging.audit".level=WARN',
    '-Dapicurio.storage.kind=kafkasql',
    `-Dapicurio.kafkasql.bootstrap.servers=${input.brokers.join(',')}`,
    `-Dapicurio.kafkasql.topic=${input.journalTopic}`,
    `-Dapicurio.kafkasql.snapshots.topic=${input.journalTopic}-snapshots`,
  ];
}

/** Starts the registry detached (its own process group), stdout/stderr appended to registry.log. */
export function launchRegistry(input: RegistryLaunch): number {
  rotateLog(input.logPath);
  const out = openSync(input.logPath, 'a');
  try {
    const child = spawn(
      'bash',
      [
        '-c',
        WRAPPER,
        'shopfloor-registry',
        input.java,
        join(input.apicurioHome, 'quarkus-run.jar'),
        input.watchParentPid ? String(input.watchParentPid) : '',
        ...registryJvmArgs(input),
      ],
      { detached: true, stdio: ['ignore', out, out], cwd: input.cwd },
    );
    child.unref();
    if (child.pid === undefined) throw new Error('could not spawn bash to run the schema registry');
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Keeps one previous registry.log so the data dir does not grow without bound. */
function rotateLog(logPath: string, maxBytes = 20 * 1024 * 1024): void {
  try {
    if (statSync(logPath).size > maxBytes) renameSync(logPath, `${logPath}.1`);
  } catch {
    // no log yet
  }
}
