import type { StreamLayout } from './streams.ts';

type StreamName = StreamLayout['name'];

export type GroupPartitionStatus = {
  topic: string;
  partition: number;
  committed: string | null;
  logEnd: string;
  lag: string;
};

/** What `shopfloor status` reports (`--json` prints it as it is). */
export type StatusReport = {
  broker: { reachable: boolean; brokers: string[]; clusterId?: string; error?: string };
  /** Per stream, its processor's group and its projector's group. */
  groups: {
    stream: StreamName;
    role: 'processor' | 'projector';
    group: string;
    state: string;
    members: number;
    lag: string;
    partitions: GroupPartitionStatus[];
  }[];
  projector: {
    stream: StreamName;
    topic: string;
    partition: number;
    appliedUpTo: string;
    logEnd: string;
    behind: string;
    lastGroupAt: string;
  }[];
  /**
   * Per stream and partition of its state changelog: `entries` counted from the changelog (every
   * processor's state, whichever member holds the partition; null when not read), `held` as the
   * --url process reports it for the partitions it holds (the dedupe state only; null otherwise),
   * the log's records.
   */
  state: {
    stream: StreamName;
    topic: string;
    partition: number;
    entries: number | null;
    held: number | null;
    logRecords: string;
  }[];
  /** Why a changelog was not counted (not asked, or it could not be read in time). */
  stateEntriesError?: string;
  /** Per stream: records in its dead-letter topic, and rows in ClickHouse (null: not known). */
  deadLetters: { stream: StreamName; topic: string; inLog: string | null; inClickHouse: number | null }[];
  system: { url: string; reachable: boolean; error?: string };
  clickhouse: { reachable: boolean; mode?: string; error?: string };
  registry: { url: string; reachable: boolean; error?: string };
};
