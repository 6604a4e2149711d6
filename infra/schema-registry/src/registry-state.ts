import { type ProcessFiles, processFiles } from '@shopfloor/jvm-process';

/** What a running registry leaves in its data dir besides the pid file. */
export interface RegistryState {
  pid: number;
  port: number;
  managementPort: number;
  brokers: string[];
  journalTopic: string;
  startedAt: string;
  version: string;
  javaHome: string;
}

/** registry.pid, registry.json, registry.log. */
export const registryFiles = (dataDir: string): ProcessFiles => processFiles(dataDir, 'registry');

/** The string a process's command line must contain to count as this data dir's registry. */
export const registryMarker = (dataDir: string) => `-Dshopfloor.registry.dir=${dataDir}`;
