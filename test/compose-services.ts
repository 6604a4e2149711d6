/** The Shopfloor services of docker-compose.yml (the ones built from this repository), sorted: what the compose and observability tests expect. */
export const COMPOSE_SHOPFLOOR_SERVICES = [
  'consumer',
  'gateway',
  'metric-events',
  'projector',
  'query',
  'sensors',
];
