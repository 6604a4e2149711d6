import type { ShopfloorConfig } from '@shopfloor/config';
import { type HttpRoutes, OutcomeTracker } from '@shopfloor/http-kit';
import {
  firstMemberStop,
  type KafkaClient,
  type MemberStop,
  renewingIdempotentProducer,
  type ShopfloorCodecs,
} from '@shopfloor/kafka';
import type { GatewayMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import type { GatewayAppConfig } from './app.ts';
import { kafkaBatchPublisher } from './batch-publisher.ts';
import { gatewayRoutes } from './gateway-routes.ts';
import { listenForOutcomes } from './outcome-listener.ts';

export interface GatewayDeps {
  kafka: KafkaClient;
  codecs: ShopfloorCodecs;
  log: Logger;
  /**
   * Where batch outcomes come from: `topic` reads events.outcomes (a gateway process of its own);
   * `in-process` leaves feeding `outcomes` to the caller (the all-in-one process hands over what
   * its projector publishes).
   */
  outcomesFrom: 'topic' | 'in-process';
  /** Where published batches and rejections are reported (Prometheus): `createShopfloorMetrics().gateway`. */
  metrics?: GatewayMetrics;
}

export interface GatewayService {
  /** POST /events/batch, bound to this service's producer and tracker: register it on an HttpApp. */
  readonly routes: HttpRoutes;
  /** The requests waiting for their batch's outcome. */
  readonly outcomes: OutcomeTracker;
  /** Settles once the outcome listener stopped for good (sync answers would wait in vain); never in-process. */
  readonly stopped: Promise<MemberStop>;
  stop(): Promise<void>;
}

/** The HTTP limits of the gateway, from the configuration. */
export function gatewayAppConfig(config: ShopfloorConfig): GatewayAppConfig {
  return {
    maxBodyBytes: config.SHOPFLOOR_MAX_BODY_BYTES,
    maxBatchEvents: config.SHOPFLOOR_MAX_BATCH_EVENTS,
    syncTimeoutMs: config.SHOPFLOOR_SYNC_TIMEOUT_MS,
    maxInflightEvents: config.SHOPFLOOR_MAX_INFLIGHT_EVENTS,
  };
}

/**
 * The gateway's wiring, written once: its main and the all-in-one process both call it. Connects
 * the idempotent producer (and the outcome listener when outcomes come from the topic); `stop`
 * releases them, also when start-up fails half-way.
 */
export async function createGatewayService(
  config: ShopfloorConfig,
  deps: GatewayDeps,
): Promise<GatewayService> {
  const outcomes = new OutcomeTracker();
  const producers = renewingIdempotentProducer(deps.kafka);
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  let stopped: Promise<MemberStop> = new Promise(() => {});
  try {
    await producers.get();
    stops.push(() => producers.disconnect());
    if (deps.outcomesFrom === 'topic') {
      const listener = await listenForOutcomes(
        deps.kafka,
        config.topics.outcomes,
        deps.codecs.outcomes,
        outcomes,
        deps.log,
      );
      stops.push(() => listener.stop());
      stopped = firstMemberStop({ 'outcome listener': listener.stopped });
    }
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  const { maxBatchEvents, syncTimeoutMs, maxInflightEvents } = gatewayAppConfig(config);
  const publisher = kafkaBatchPublisher(
    producers,
    config.topics,
    deps.codecs,
    config.SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS,
  );
  const routes: HttpRoutes = async (app) => {
    await app.register(gatewayRoutes, {
      maxBatchEvents,
      syncTimeoutMs,
      maxInflightEvents,
      publisher,
      outcomes,
      metrics: deps.metrics,
    });
  };
  return { routes, outcomes, stopped, stop };
}
