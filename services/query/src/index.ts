export { buildQueryApp } from './app.ts';
export { queryRoutes, type QueryOptions } from './query-routes.ts';
