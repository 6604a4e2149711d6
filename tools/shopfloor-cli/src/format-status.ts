import { formatTable } from './output.ts';
import type { StatusReport } from './status.ts';

const reach = (r: { reachable: boolean; error?: string }) =>
  r.reachable ? 'reachable' : `UNREACHABLE (${r.error})`;

/** `shopfloor status` for a person: one block per part of the system, streams in turn. */
export function formatStatus(s: StatusReport): string {
  const blocks: string[] = [];
  blocks.push(
    [
      `broker      ${reach(s.broker)}  ${s.broker.brokers.join(',')}${s.broker.clusterId ? `  cluster ${s.broker.clusterId}` : ''}`,
      `system      ${reach(s.system)}  ${s.system.url}`,
      `clickhouse  ${reach(s.clickhouse)}${s.clickhouse.mode ? `  (${s.clickhouse.mode})` : ''}`,
      `registry    ${reach(s.registry)}  ${s.registry.url}`,
    ].join('\n'),
  );
  for (const g of s.groups) {
    blocks.push(
      `[${g.stream}] ${g.role} group ${g.group}: ${g.state}, ${g.members} member(s), lag ${g.lag}\n${formatTable(
        ['topic', 'partition', 'committed', 'log end', 'lag'],
        g.partitions.map((p) => [p.topic, p.partition, p.committed, p.logEnd, p.lag]),
      )}`,
    );
  }
  if (s.projector.length > 0)
    blocks.push(
      `projector positions (ClickHouse sink_offsets)\n${formatTable(
        ['stream', 'topic', 'partition', 'applied up to', 'log end', 'behind', 'last group at'],
        s.projector.map((p) => [
          p.stream,
          p.topic,
          p.partition,
          p.appliedUpTo,
          p.logEnd,
          p.behind,
          p.lastGroupAt,
        ]),
      )}`,
    );
  if (s.state.length > 0)
    blocks.push(
      `processor state (entries: live keys of the changelog, whichever process holds the partition; held: as the process at --url reports them, dedupe state only${s.stateEntriesError ? `; entries ${s.stateEntriesError}` : ''})\n${formatTable(
        ['stream', 'changelog', 'partition', 'entries', 'held', 'log records'],
        s.state.map((p) => [p.stream, p.topic, p.partition, p.entries, p.held, p.logRecords]),
      )}`,
    );
  blocks.push(
    `dead letters\n${formatTable(
      ['stream', 'topic', 'in the log', 'in ClickHouse'],
      s.deadLetters.map((d) => [d.stream, d.topic, d.inLog ?? '?', d.inClickHouse ?? '?']),
    )}`,
  );
  return blocks.join('\n\n');
}
