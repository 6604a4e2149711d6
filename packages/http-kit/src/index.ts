export { installApiKeyAuth, keyScopeOf, requireFactory, requireMachine } from './api-key-auth.ts';
export { installErrorHandling } from './error-handling.ts';
export { HTTP_ERRORS, HttpError, type HttpErrorCode, retryAfterSeconds } from './errors.ts';
export {
  acknowledgedWithin,
  assertWithinLimit,
  eventLogUnavailable,
  type OutcomeWait,
  publishThenAwait,
  wantsAsyncAnswer,
} from './event-log-answer.ts';
export {
  createHttpApp,
  HTTP_LIMIT_DEFAULTS,
  type HttpApp,
  type HttpAppOptions,
  type HttpLimits,
  type HttpRoutes,
} from './http-app.ts';
export { InflightLimit } from './inflight-limit.ts';
export { jsonDepthExceeds, rawJsonBodyOf } from './json-body.ts';
export { KEEP_ALIVE_MARGIN_MS, keepAliveAgent } from './keep-alive-agent.ts';
export { cursorParam, keysetPage, type PageCursor, pageCursor } from './keyset-page.ts';
export { mergeOpenApi, type OpenApiDocument, type OpenApiInfo } from './openapi.ts';
export { OutcomeTracker } from './outcome-tracker.ts';
export { defaultAccess, type RouteAccess } from './route-access.ts';
export { type RegisteredRoute, registeredRoutes } from './route-list.ts';
