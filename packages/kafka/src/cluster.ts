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
