export { HTTP_ERRORS, HttpError, type HttpErrorCode, retryAfterSeconds } from './errors.ts';
export { installErrorHandling } from './error-handling.ts';
export { createHttpApp, type HttpApp, type HttpAppOptions, type HttpRoutes } from './http-app.ts';
export { keepRawJsonBody, rawJsonBodyOf } from './raw-json-body.ts';
