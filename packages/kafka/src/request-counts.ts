import type { Admin, Consumer, KafkaClient, Producer } from './types.ts';

/** The kind of kafkajs client that sent a request. */
export type KafkaClientKind = 'producer' | 'consumer' | 'admin';

/** Requests of one client kind and Kafka API, and the time they took, since the client was created. */
export interface KafkaRequestCount {
  client: KafkaClientKind;
  /** kafkajs' name of the API (`Produce`, `Fetch`, `AddPartitionsToTxn`, `GroupCoordinator`, ...). */
  api: string;
  requests: number;
  /** Sum of the requests' durations (sent → answered), in seconds. */
  seconds: number;
}

/** Per client kind, each API's running count. */
type Tally = Record<KafkaClientKind, Map<string, KafkaRequestCount>>;
const tallies = new WeakMap<KafkaClient, Tally>();

type RequestEvent = { payload: { apiName: string; duration: number } };

function record(tally: Tally, client: KafkaClientKind, { payload }: RequestEvent): void {
  const entry = tally[client].get(payload.apiName);
  if (entry === undefined) {
    tally[client].set(payload.apiName, {
      client,
      api: payload.apiName,
      requests: 1,
      seconds: payload.duration / 1000,
    });
    return;
  }
  entry.requests++;
  entry.seconds += payload.duration / 1000;
}

/**
 * Makes every producer, consumer and admin that `kafka` creates from now on count its requests
 * (kafkajs' REQUEST instrumentation event, one per answered request), read with
 * `kafkaRequestCounts`. Why: the round trips a transaction or an idle consumer makes are the
 * figure behind most of the pipeline's fixed costs (bench/README "Levers" 34 and 35), and kafkajs
 * reports them only per client. `createKafka` calls it once on each client it makes.
 */
export function countKafkaRequests(kafka: KafkaClient): KafkaClient {
  const tally: Tally = { producer: new Map(), consumer: new Map(), admin: new Map() };
  tallies.set(kafka, tally);
  const producer = kafka.producer.bind(kafka);
  const consumer = kafka.consumer.bind(kafka);
  const admin = kafka.admin.bind(kafka);
  kafka.producer = (config) => {
    const p: Producer = producer(config);
    p.on(p.events.REQUEST, (e) => record(tally, 'producer', e));
    return p;
  };
  kafka.consumer = (config) => {
    const c: Consumer = consumer(config);
    c.on(c.events.REQUEST, (e) => record(tally, 'consumer', e));
    return c;
  };
  kafka.admin = (config) => {
    const a: Admin = admin(config);
    a.on(a.events.REQUEST, (e) => record(tally, 'admin', e));
    return a;
  };
  return kafka;
}

/** What the clients of `kafka` sent so far (see `countKafkaRequests`); none if it does not count. */
export function kafkaRequestCounts(kafka: KafkaClient): KafkaRequestCount[] {
  const tally = tallies.get(kafka);
  if (tally === undefined) return [];
  return Object.values(tally).flatMap((byApi) => [...byApi.values()].map((entry) => ({ ...entry })));
}
