export { buildGatewayApp, type GatewayAppConfig } from './app.ts';
export { intakeBatch, type BatchIntake } from './batch-intake.ts';
export { kafkaBatchPublisher, type BatchPublisher } from './batch-publisher.ts';
export { gatewayRoutes, type GatewayOptions } from './gateway-routes.ts';
export { listenForOutcomes } from './outcome-listener.ts';
export { OutcomeTracker } from './outcome-tracker.ts';
