import { Writable } from 'node:stream';
import { runRebuildCommand } from '@shopfloor/projector';
import { Command, Option } from 'commander';
import { type CliContext, createCliContext, type GlobalOptions } from './cli-context.ts';
import { listDeadLetters, retryDeadLetters, showDeadLetter } from './dead-letters.ts';
import { formatStatus } from './format-status.ts';
import { keyLogOf } from './key-log-of.ts';
import { addKeysCommand } from './keys-command.ts';
import { CliError, formatTable, toJson } from './output.ts';
import { parseReplayTarget, replayGroup } from './replay.ts';
import { resetDerived, stateLines } from './reset-derived-command.ts';
import { collectStatus } from './status.ts';
import { STREAM_NAMES } from './streams.ts';

const whole = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new CliError(`${name} must be a whole number, got ${value}`);
  return Number(value);
};

/**
 * The `shopfloor` program. `context` is built lazily from the global options, so `--help`
 * works without any configuration and tests can hand in their own environment and output.
 */
export function buildProgram(
  makeContext: (o: GlobalOptions) => CliContext = (o) => createCliContext(o),
): Command {
  const program = new Command('shopfloor')
    .description(
      'Operate a Shopfloor system: status and lag, replay a consumer group, dead letters, rebuild the projections, reset derived stores, API keys',
    )
    .addOption(
      new Option('--url <url>', 'the process serving the query API (standalone or projector)').env(
        'SHOPFLOOR_URL',
      ),
    )
    .addOption(
      new Option('--gateway-url <url>', 'the process serving POST /events/batch (default: --url)').env(
        'SHOPFLOOR_GATEWAY_URL',
      ),
    )
    .addOption(
      new Option(
        '--api-key <key>',
        'the API key the HTTP calls send when the system requires keys (default: the bootstrap key)',
      ).env('SHOPFLOOR_API_KEY'),
    )
    .showHelpAfterError()
    .exitOverride();
  const ctx = () => makeContext(program.opts<GlobalOptions>());

  program
    .command('status')
    .description(
      'per stream (events, sensors, metric-events), group and partition: committed offset, log end, lag; projector positions; state entries; dead letters; reachability',
    )
    .option('--json', 'print JSON')
    .option(
      '--no-state-scan',
      "do not read the streams' state changelogs to count the state entries per partition",
    )
    .action(async (o: { json?: boolean; stateScan: boolean }) => {
      const c = ctx();
      const report = await collectStatus(c, { countStateEntries: o.stateScan });
      c.out(o.json ? toJson(report) : formatStatus(report));
    });

  program
    .command('replay')
    .description(
      'move a consumer group to an offset, a time, the earliest or the latest record (dry-run unless --execute)',
    )
    .requiredOption('--group <group>', 'the consumer group to move')
    .option(
      '--topic <topic>',
      "the topic to move it on (default: the group's topics when it is a Shopfloor group)",
    )
    .option('--to-offset <n>', 'this offset on every partition (clamped to the log range)')
    .option('--to-time <iso>', 'the first record at or after this instant, per partition')
    .option('--to-earliest', 'the first record still in the log')
    .option('--to-latest', 'the end of the log (skip everything)')
    .option('--execute', 'really move it (default: print what would move)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const c = ctx();
      const plan = await replayGroup(c, {
        group: o.group,
        target: parseReplayTarget(o),
        ...(o.topic ? { topic: o.topic } : {}),
        execute: !!o.execute,
      });
      if (o.json) return c.out(toJson(plan));
      c.out(
        `${plan.executed ? 'moved' : 'would move (dry-run; add --execute)'} group ${plan.group}:\n${formatTable(
          ['topic', 'partition', 'from', 'to'],
          plan.moves.map((m) => [m.topic, m.partition, m.from ?? '(none)', m.to]),
        )}`,
      );
    });

  const dead = program.command('dead-letters').description('list, show and retry rejected events');
  dead
    .command('list')
    .description('dead letters, newest first (or one batch in order), with the batch each was retried as')
    .option('--batch <batchId>', 'only this batch')
    .option('--limit <n>', 'at most this many', whole('--limit'), 20)
    .option('--json', 'print JSON')
    .action(async (o: { batch?: string; limit: number; json?: boolean }) => {
      const c = ctx();
      const rows = await listDeadLetters(c, { limit: o.limit, ...(o.batch ? { batchId: o.batch } : {}) });
      if (o.json) return c.out(toJson(rows));
      c.out(
        formatTable(
          ['batch', 'seq', 'eventId', 'reason', 'received at', 'retried as'],
          rows.map((d) => [d.batchId, d.seq, d.eventId, d.reason, d.receivedAt, d.retriedAs]),
        ),
      );
    });
  dead
    .command('show')
    .description('one dead letter with its message and payload as received')
    .argument('<batchId>')
    .argument('<seq>', 'its position in the batch', whole('seq'))
    .option('--json', 'print JSON')
    .action(async (batchId: string, seq: number, o: { json?: boolean }) => {
      const c = ctx();
      const d = await showDeadLetter(c, batchId, seq);
      if (o.json) return c.out(toJson(d));
      c.out(
        [
          `batch       ${d.batchId} #${d.seq}`,
          `eventId     ${d.eventId ?? '-'}`,
          `reason      ${d.reason}`,
          `message     ${d.message}`,
          `received at ${d.receivedAt}`,
          `retried as  ${d.retriedAs ?? '-'}`,
          `payload     ${d.payload}`,
        ].join('\n'),
      );
    });
  dead
    .command('retry')
    .description("re-submit dead letters' payloads through the gateway's rules, linked to the original batch")
    .argument('<batchId>')
    .argument('<seq...>', 'positions in the batch', (v: string, prev: number[] = []) => [
      ...prev,
      whole('seq')(v),
    ])
    .option('--json', 'print JSON')
    .action(async (batchId: string, seqs: number[], o: { json?: boolean }) => {
      const c = ctx();
      const result = await retryDeadLetters(c, batchId, seqs);
      if (o.json) return c.out(toJson(result));
      c.out(
        `re-submitted ${seqs.length} dead letter(s) of ${batchId} as batch ${result.retriedAs} (HTTP ${result.status}):\n${JSON.stringify(result.answer)}`,
      );
    });

  program
    .command('rebuild')
    .description(
      'rebuild the ClickHouse projections of every stream (events, sensors, metric-events) from their logs into new tables while the current ones answer, then switch atomically (runs in the ClickHouse-owning process at --url); Ctrl-C aborts it',
    )
    .addOption(
      new Option(
        '--stream <name...>',
        'only these streams (default: every stream the process projects)',
      ).choices([...STREAM_NAMES]),
    )
    .action(async (o: { stream?: string[] }) => {
      const c = ctx();
      // The progress bar is written to a stream; each line goes to the command's output.
      const out = new Writable({
        write(chunk: Buffer, _encoding, done) {
          c.out(chunk.toString().replace(/\n$/, ''));
          done();
        },
      });
      const aborted = new AbortController();
      const onSigint = () => aborted.abort();
      process.once('SIGINT', onSigint);
      try {
        const code = await runRebuildCommand({
          url: c.url,
          apiKey: c.apiKey,
          out,
          signal: aborted.signal,
          streams: o.stream,
        });
        if (code !== 0) throw new CliError(`the rebuild did not complete (exit code ${code})`);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });

  program
    .command('reset-derived')
    .description(
      "empty the stores derived from the log, for every stream (events, sensors, metric-events): the ClickHouse tables and this host's processor state, so they are derived again from the current log; dry-run unless --execute",
    )
    .addOption(
      new Option(
        '--only <store>',
        "only one of them: clickhouse (every stream's tables; the projectors re-read their logs from the start) or state (the dedupe and metric-events processor state on this host)",
      ).choices(['clickhouse', 'state']),
    )
    .addOption(
      new Option(
        '--state-from <log>',
        'rebuild the dedupe state from events.state (changelog: the local store is removed) or recompute it from events.raw (raw: done by the process at its next start)',
      )
        .choices(['changelog', 'raw'])
        .default('changelog'),
    )
    .option('--execute', 'really empty them (default: print what would be emptied)')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        only?: 'clickhouse' | 'state';
        stateFrom: 'changelog' | 'raw';
        execute?: boolean;
        json?: boolean;
      }) => {
        const c = ctx();
        const plan = await resetDerived(c, {
          execute: !!o.execute,
          stateFrom: o.stateFrom,
          ...(o.only ? { only: o.only } : {}),
        });
        if (o.json) return c.out(toJson(plan));
        const verb = plan.executed ? 'emptied' : 'would empty (dry-run; add --execute)';
        c.out(
          [
            plan.clickhouse
              ? `${verb} ${plan.clickhouse.tables.length} ClickHouse tables (${plan.clickhouse.mode}): ${plan.clickhouse.tables.join(', ')}`
              : 'ClickHouse: left alone',
            ...stateLines(plan),
            ...(plan.executed ? ['Start the services: they derive all of it again from the log.'] : []),
          ].join('\n'),
        );
      },
    );
  addKeysCommand(
    program,
    () => keyLogOf(ctx()),
    (line) => ctx().out(line),
  );
  return program;
}
