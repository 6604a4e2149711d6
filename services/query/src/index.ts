export { buildQueryApp } from './app.ts';
export { type QueryOptions, queryRoutes } from './query-routes.ts';
export { createQueryService, type QueryDeps, type QueryService } from './query-service.ts';
export { sensorQueryRoutes } from './sensor-routes.ts';
