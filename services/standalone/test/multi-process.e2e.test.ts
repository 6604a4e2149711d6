import { setTimeout as sleep } from 'node:timers/promises';
import { type ServiceProcess, stopAllServices } from '@shopfloor/test-support';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type Cluster,
  type RestoreLog,
  restoreLogs,
  startCluster,
  waitForSplit,
} from './multi-process-cluster.ts';
import { type BatchCounts, DAY_END, DAY_START, GroundTruth, Workload } from './workload-model.ts';

// The system as separate OS processes: one projector (embedded ClickHouse + query API), one gateway,
// and a group of dedupe consumer processes, on the suite's real broker. Consumers crash, scale out,
// leave and come back while batches are posted; afterwards every statistic equals a ground truth
// computed in the test. Set SHOPFLOOR_TEST_SEED to replay a workload, SHOPFLOOR_TEST_ECHO=1 to see
// the services' logs.

const clusters: Cluster[] = [];
afterEach(async () => {
  try {
    await stopAllServices();
  } finally {
    for (const c of clusters.splice(0)) c.cleanup();
  }
});

const seed = Number(process.env.SHOPFLOOR_TEST_SEED ?? Date.now() % 2 ** 31);
const ODD_START = '2026-03-01T05:17:23.456Z';
const ODD_END = '2026-03-01T17:42:11.789Z';

function timer() {
  const t0 = Date.now();
  const marks: string[] = [];
  return {
    mark: (what: string) => marks.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`),
    summary: () => marks.join(', '),
  };
}

/** Posts one batch (sync mode) and checks the answer against the ground truth's counts. */
async function postChecked(cluster: Cluster, truth: GroundTruth, batch: unknown[], sent: BatchCounts) {
  const expected = truth.apply(batch);
  const reply = await cluster.post(batch);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  const { accepted, deduped, updated, rejected } = reply.body as BatchCounts;
  expect({ accepted, deduped, updated, rejected }).toEqual(expected);
  sent.accepted += accepted;
  sent.deduped += deduped;
  sent.updated += updated;
  sent.rejected += rejected;
  return reply;
}

/** Waits (bounded) until the projector shows every winner, then compares every statistic exactly. */
async function expectGroundTruth(cluster: Cluster, truth: GroundTruth, workload: Workload) {
  const q = encodeURIComponent;
  const machineStats = async (machineId: string, start: string, end: string) => {
    const r = await cluster.get(`/stats?machineId=${q(machineId)}&start=${q(start)}&end=${q(end)}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return { eventsCount: r.body.eventsCount as number, defectsCount: r.body.defectsCount as number };
  };
  const countAll = async () => {
    let events = 0;
    for (const p of workload.places)
      events += (await machineStats(p.machineId, DAY_START, DAY_END)).eventsCount;
    return events;
  };
  await expect.poll(countAll, { timeout: 60_000, interval: 500 }).toBe(truth.winners.size);

  for (const { machineId } of workload.places) {
    for (const [start, end] of [
      [DAY_START, DAY_END],
      [ODD_START, ODD_END],
    ] as const) {
      expect(await machineStats(machineId, start, end), `${machineId} [${start}, ${end})`).toEqual(
        truth.machineStats(machineId, start, end),
      );
    }
  }
  for (const factoryId of workload.factories) {
    for (const [from, to] of [
      [DAY_START, DAY_END],
      [ODD_START, ODD_END],
    ] as const) {
      const r = await cluster.get(
        `/stats/top-defect-lines?factoryId=${q(factoryId)}&from=${q(from)}&to=${q(to)}&limit=1000`,
      );
      expect(r.status).toBe(200);
      expect(r.body, `${factoryId} [${from}, ${to})`).toEqual(truth.topDefectLines(factoryId, from, to));
    }
  }
}

const lastJoinIndex = (s: ServiceProcess) => s.logs.length;
const partitionsOf = (restores: RestoreLog[]) =>
  [...new Set(restores.map((r) => r.partition))].sort((a, b) => a - b);

// Each process registers its schemas before it connects (several seconds on a loaded machine, with
// several processes at once): the tests get 300 s instead of the project's 120 s.
describe('dedupe consumers as separate processes', () => {
  test('acceptance: two consumers, one SIGKILLed mid-stream, every event counted exactly once', async () => {
    const clock = timer();
    const cluster = await startCluster('crash', ['c1', 'c2']);
    clusters.push(cluster);
    const c1 = cluster.consumers.get('c1')!;
    const c2 = cluster.consumers.get('c2')!;
    // kafkajs' round-robin assigner: three partitions each (which ones depends on the metadata order).
    const initial = await waitForSplit([
      { service: c1, fromIndex: 0 },
      { service: c2, fromIndex: 0 },
    ]);
    expect(initial.map((a) => a.length)).toEqual([3, 3]);
    clock.mark('started');

    const workload = new Workload(`crash-${seed}`, seed);
    const truth = new GroundTruth();
    const sent: BatchCounts = { accepted: 0, deduped: 0, updated: 0, rejected: 0 };
    let posted = 0;
    let c1Index = 0;
    let c2b: ServiceProcess | undefined;
    let c2Restores: RestoreLog[] = [];
    let restarted: number[][] = [];
    for (let b = 0; b < 30; b++) {
      const batch = workload.batch(100);
      posted += batch.length;
      if (b === 10) {
        // Crash c2 while this batch is in flight.
        const posting = postChecked(cluster, truth, batch, sent);
        await sleep(40);
        c1Index = lastJoinIndex(c1);
        const exit = await c2.kill();
        expect(exit.signal).toBe('SIGKILL');
        clock.mark('c2 killed');
        await posting;
        clock.mark('first batch after the crash answered');
        continue;
      }
      await postChecked(cluster, truth, batch, sent);
      if (b === 11) {
        // c2's session expired and c1 took every partition over.
        expect(await waitForSplit([{ service: c1, fromIndex: c1Index }])).toEqual([[0, 1, 2, 3, 4, 5]]);
      }
      if (b === 20) {
        // The crashed process comes back with its state directory.
        const before = lastJoinIndex(c1);
        c2Restores = restoreLogs(c2);
        c2b = await cluster.startConsumer('c2');
        restarted = await waitForSplit([
          { service: c1, fromIndex: before },
          { service: c2b, fromIndex: 0 },
        ]);
        expect(restarted.map((p) => p.length)).toEqual([3, 3]);
        clock.mark('c2 restarted');
      }
    }
    clock.mark('30 batches posted');

    // Every sync answer was final and matched the ground truth; together they cover every event.
    expect(sent).toEqual(truth.totals);
    expect(sent.accepted + sent.deduped + sent.updated + sent.rejected).toBe(posted);
    expect(sent.accepted).toBe(truth.winners.size);
    expect(sent.updated).toBeGreaterThan(50);
    expect(sent.deduped).toBeGreaterThan(200);

    await expectGroundTruth(cluster, truth, workload);
    clock.mark('verified');

    // After the crash, the restarted process resumed its partitions from its local checkpoint.
    // (A partition restores when its first batch arrives; ten batches later every one has had one.)
    const restores = restoreLogs(c2b!);
    expect(partitionsOf(restores)).toEqual(restarted[1]);
    const checkpointed = new Set(c2Restores.map((r) => r.partition));
    const resumable = restores.filter((r) => checkpointed.has(r.partition));
    expect(resumable.length).toBeGreaterThan(0);
    for (const r of resumable) expect(r.from, `partition ${r.partition}`).not.toBe('0');
    console.info(
      `[multi-process crash] seed ${seed}; ${posted} events, answers ${JSON.stringify(sent)}; splits ${JSON.stringify({ initial, restarted })}; c2 before the crash ${JSON.stringify(c2Restores)}; restarted c2 ${JSON.stringify(restores)}; ${clock.summary()}`,
    );
  }, 300_000);

  test('scale-out and restart: 2 then 3 members split the partitions; a restarted member resumes from its checkpoint', async () => {
    const clock = timer();
    const cluster = await startCluster('scale', ['m1', 'm2']);
    clusters.push(cluster);
    const m1 = cluster.consumers.get('m1')!;
    const m2 = cluster.consumers.get('m2')!;
    const workload = new Workload(`scale-${seed}`, seed + 1);
    const truth = new GroundTruth();
    const sent: BatchCounts = { accepted: 0, deduped: 0, updated: 0, rejected: 0 };
    const postBatches = async (n: number) => {
      for (let b = 0; b < n; b++) await postChecked(cluster, truth, workload.batch(100), sent);
    };

    // Two members: three partitions each.
    const two = await waitForSplit([
      { service: m1, fromIndex: 0 },
      { service: m2, fromIndex: 0 },
    ]);
    expect(two.map((a) => a.length)).toEqual([3, 3]);
    clock.mark('2 members');
    await postBatches(6);

    // A third member joins: two partitions each.
    let from = [lastJoinIndex(m1), lastJoinIndex(m2)] as const;
    const m3 = await cluster.startConsumer('m3');
    const three = await waitForSplit([
      { service: m1, fromIndex: from[0] },
      { service: m2, fromIndex: from[1] },
      { service: m3, fromIndex: 0 },
    ]);
    expect(three.map((a) => a.length)).toEqual([2, 2, 2]);
    clock.mark('3 members');
    await postBatches(6);

    // m1 leaves gracefully: the other two take its partitions.
    const m1Restores = restoreLogs(m1);
    const checkpointed = new Set(m1Restores.map((r) => r.partition));
    from = [lastJoinIndex(m2), lastJoinIndex(m3)];
    const exit = await m1.stop('SIGTERM', 30_000);
    expect(exit.code).toBe(0);
    const afterLeave = await waitForSplit([
      { service: m2, fromIndex: from[0] },
      { service: m3, fromIndex: from[1] },
    ]);
    expect(afterLeave.map((a) => a.length)).toEqual([3, 3]);
    clock.mark('m1 stopped');
    await postBatches(6);

    // m1 comes back with the same instance id and data dir.
    from = [lastJoinIndex(m2), lastJoinIndex(m3)];
    const m1b = await cluster.startConsumer('m1');
    const again = await waitForSplit([
      { service: m1b, fromIndex: 0 },
      { service: m2, fromIndex: from[0] },
      { service: m3, fromIndex: from[1] },
    ]);
    expect(again.map((a) => a.length)).toEqual([2, 2, 2]);
    clock.mark('m1 restarted');
    await postBatches(6);
    clock.mark('24 batches posted');

    // A partition restores when its first batch arrives; every assigned one has had one by now.
    await expect
      .poll(() => restoreLogs(m1b).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(again[0]!.length);
    const restores = restoreLogs(m1b);
    expect(partitionsOf(restores)).toEqual(again[0]);
    // Every partition m1 had restored before (so holds a local checkpoint for) resumes from it.
    const resumable = restores.filter((r) => checkpointed.has(r.partition));
    expect(resumable.length).toBeGreaterThan(0);
    for (const r of resumable) expect(r.from, `partition ${r.partition}`).not.toBe('0');

    expect(sent).toEqual(truth.totals);
    await expectGroundTruth(cluster, truth, workload);
    clock.mark('verified');
    console.info(
      `[multi-process scale] seed ${seed}; splits ${JSON.stringify({ two, three, afterLeave, again })}; answers ${JSON.stringify(sent)}; m1 before ${JSON.stringify(m1Restores)}; m1 after restart ${JSON.stringify(restores)}; ${clock.summary()}`,
    );
  }, 300_000);
});
