export { RelayedDemand } from '@shopfloor/group-projector';
export { type GatewayProcess, startGatewayProcess } from './gateway-supervisor.ts';
export { type ShopfloorSystem, STOP_DEADLINE_MS, startShopfloor } from './shopfloor-system.ts';
