import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launchJvm } from '@shopfloor/jvm-process';

export function javaBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

export interface LaunchInput {
  libsDir: string;
  serverPropertiesPath: string;
  logPath: string;
  jvmArgs: string[];
  watchParentPid?: number | undefined;
  cwd: string;
}

/**
 * Starts the broker detached under the JVM wrapper (stdout/stderr appended to broker.log). The
 * command line names server.properties, which is how a pid is recognised as this data dir's broker.
 */
export function launchBroker(input: LaunchInput): number {
  return launchJvm({
    name: 'shopfloor-kafka',
    command: [
      javaBinary(),
      ...input.jvmArgs,
      '-cp',
      join(input.libsDir, '*'),
      'kafka.Kafka',
      input.serverPropertiesPath,
    ],
    logPath: input.logPath,
    watchParentPid: input.watchParentPid,
    watchGraceSeconds: 20,
    cwd: input.cwd,
  });
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
