import { createKafka } from './client.ts';

export interface ClusterInfo {
  clusterId: string;
  brokers: { nodeId: number; host: string; port: number }[];
}

/**
 * One metadata round trip with no retries and no logging: used to probe whether a broker really
 * answers (readiness checks poll this). Throws if it does not answer within `timeoutMs`.
 */
export async function describeCluster(
  brokers: string[],
  options: { timeoutMs?: number } = {},
): Promise<ClusterInfo> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const kafka = createKafka({
    brokers,
    clientId: 'shopfloor-probe',
    logLevel: 'nothing',
    connectionTimeoutMs: timeoutMs,
    requestTimeoutMs: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const { clusterId, brokers: nodes } = await admin.describeCluster();
    if (nodes.length === 0) throw new Error('broker answered without any registered broker');
    return { clusterId, brokers: nodes.map(({ nodeId, host, port }) => ({ nodeId, host, port })) };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * Waits until `probe` (a describeCluster of `brokers`) answers, asking every `intervalMs` for up
 * to `timeoutMs`: a service started before its broker (a supervisor restarting it while the broker
 * restarts, every container of a stack starting at once) then starts once the broker is up,
 * instead of exiting after kafkajs' own retries (about 9 s). `onWaiting` hears the first failure
 * only. Rejects with the last failure once the time is up.
 */
export async function waitForBroker(
  brokers: string[],
  options: {
    timeoutMs: number;
    intervalMs?: number;
    onWaiting?: (err: Error) => void;
    probe?: (brokers: string[]) => Promise<ClusterInfo>;
  },
): Promise<ClusterInfo> {
  const intervalMs = options.intervalMs ?? 1_000;
  const probe = options.probe ?? ((b: string[]) => describeCluster(b, { timeoutMs: 3_000 }));
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await probe(brokers);
    } catch (err) {
      const error = err as Error;
      if (Date.now() + intervalMs > deadline)
        throw new Error(
          `no broker of ${brokers.join(',')} answered within ${options.timeoutMs} ms (${attempt} attempts): ${error.message}`,
        );
      if (attempt === 1) options.onWaiting?.(error);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
