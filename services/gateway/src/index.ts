export { buildGatewayApp, type GatewayAppConfig } from './app.ts';
export { type BatchIntake, intakeBatch } from './batch-intake.ts';
export { type BatchPublisher, kafkaBatchPublisher } from './batch-publisher.ts';
export { type GatewayProcessParts, startGatewayProcessParts } from './gateway-process-startup.ts';
export { type GatewayOptions, gatewayRoutes } from './gateway-routes.ts';
export {
  createGatewayService,
  type GatewayDeps,
  type GatewayService,
  gatewayAppConfig,
} from './gateway-service.ts';
export { listenForOutcomes } from './outcome-listener.ts';
