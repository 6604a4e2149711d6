// The state changelogs' cleaning ratio, measured at the broker: the same load written to two
// changelogs that differ only in min.cleanable.dirty.ratio (0.01, as changelogs were created
// before; 0.5, STATE_CHANGELOG_ENFORCED_CONFIGS), and what the broker's log cleaner did to each,
// from its own log lines (`X MB of log processed in Y seconds`). The load is a state changelog's shape: one
// record per new identity (a key of its own, never compacted away) and a window snapshot per
// series now and then (800 keys, each rewritten). Segments roll every 5 s instead of 60 s, so a
// 90 s run shows what ~18 minutes of rolls do (the cleaner's work per roll follows the log's size,
// not the clock). `pnpm exec tsx bench/micro/changelog-cleaning.ts [seconds] [identities/s]`
// (default 90 s at 6 000/s, the alert run's rate).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  COMPACTED_TOPIC_CONFIGS,
  createKafka,
  ensureTopics,
  STATE_CHANGELOG_CONFIGS,
  STATE_CHANGELOG_ENFORCED_CONFIGS,
} from '@shopfloor/kafka';
import { localKafkaStatus, startLocalKafka } from '@shopfloor/local-kafka';

const seconds = Number(process.argv[2] ?? 90);
const identitiesPerSec = Number(process.argv[3] ?? 6_000);
const PARTITIONS = 6;
const SERIES = 800;
const SNAPSHOTS_PER_IDENTITY = 0.15; // the alert run's processor: 0.15-0.7 window snapshots per reading
const TICK_MS = 100;
const identityValue = Buffer.alloc(40, 1);
const windowValue = Buffer.alloc(820, 2); // 100 doubles and a header

const dataDir = await mkdtemp(path.join(tmpdir(), 'cleaning-'));
const broker = await startLocalKafka({ dataDir });
const kafka = createKafka({ brokers: broker.brokers, clientId: 'cleaning' });
const tag = Date.now().toString(36);
const ratios = ['0.01', STATE_CHANGELOG_ENFORCED_CONFIGS['min.cleanable.dirty.ratio'] ?? '0.5'];
const topicOf = (ratio: string) => `cleaning-${tag}-r${ratio.replace('.', '_')}`;
try {
  await ensureTopics(
    kafka,
    ratios.map((ratio) => ({
      topic: topicOf(ratio),
      partitions: PARTITIONS,
      configs: {
        ...COMPACTED_TOPIC_CONFIGS,
        ...STATE_CHANGELOG_CONFIGS,
        'segment.ms': '5000',
        'min.cleanable.dirty.ratio': ratio,
      },
    })),
  );
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  let identities = 0;
  let snapshots = 0;
  let writtenBytes = 0;
  const t0 = performance.now();
  for (let tick = 0; performance.now() - t0 < seconds * 1000; tick++) {
    const due = t0 + tick * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const n = Math.round((identitiesPerSec * TICK_MS) / 1000);
    const messages: { key: string; value: Buffer }[] = [];
    for (let i = 0; i < n; i++) {
      messages.push({ key: `id-${tag}-${identities++}`, value: identityValue });
    }
    for (let i = 0; i < Math.round(n * SNAPSHOTS_PER_IDENTITY); i++) {
      messages.push({ key: `w-${snapshots++ % SERIES}`, value: windowValue });
    }
    writtenBytes += n * identityValue.length + Math.round(n * SNAPSHOTS_PER_IDENTITY) * windowValue.length;
    // The same records to both changelogs, in one request.
    await producer.sendBatch({ topicMessages: ratios.map((ratio) => ({ topic: topicOf(ratio), messages })) });
  }
  await producer.disconnect();
  await sleep(8_000); // the last rolls' cleanings

  const logFile = (await localKafkaStatus(dataDir)).logFile;
  const log = readFileSync(logFile, 'utf8');
  const logDir = path.join(dataDir, 'kraft');
  console.log(
    `${seconds} s at ${identitiesPerSec} identities/s and ${SNAPSHOTS_PER_IDENTITY} window snapshots per identity ` +
      `(${SERIES} series), ${PARTITIONS} partitions, 5 s segments; written to each changelog: ` +
      `${(writtenBytes / 1e6).toFixed(1)} MB (${identities} identities, ${snapshots} snapshots)`,
  );
  const rows = ratios.map((ratio) => {
    const topic = topicOf(ratio);
    // "cleaned log <topic>-<p> (dirty section = [a, b])", then "X MB of log processed in Y seconds".
    const re = new RegExp(
      `cleaned log ${topic}-\\d+ \\(dirty section[^\\n]*\\n\\s*([\\d.]+) MB of log processed in ([\\d.]+) seconds`,
      'g',
    );
    let cleanings = 0;
    let mb = 0;
    let s = 0;
    for (const m of log.matchAll(re)) {
      cleanings++;
      mb += Number(m[1]);
      s += Number(m[2]);
    }
    const onDisk = readdirSync(logDir)
      .filter((d) => d.startsWith(`${topic}-`))
      .flatMap((d) =>
        readdirSync(path.join(logDir, d))
          .filter((f) => f.endsWith('.log'))
          .map((f) => statSync(path.join(logDir, d, f)).size),
      )
      .reduce((a, b) => a + b, 0);
    return { ratio, cleanings, mb, s, onDisk };
  });
  console.log(
    '| min.cleanable.dirty.ratio | cleanings | MB the cleaner processed | per MB written | cleaner seconds | log on disk at the end |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.ratio} | ${r.cleanings} | ${r.mb.toFixed(1)} | ${(r.mb / (writtenBytes / 1e6)).toFixed(2)} | ${r.s.toFixed(1)} | ${(r.onDisk / 1e6).toFixed(1)} MB |`,
    );
  const [old, now] = rows;
  if (old && now && old.mb > 0)
    console.log(
      `${now.ratio} against ${old.ratio}: ${(now.mb / old.mb).toFixed(2)}x the MB processed, ${(now.s / Math.max(old.s, 0.001)).toFixed(2)}x the cleaner's seconds, ${(now.onDisk / Math.max(old.onDisk, 1)).toFixed(2)}x the log on disk`,
    );
} finally {
  await broker.stop();
  await rm(dataDir, { recursive: true, force: true });
}
