export { HTTP_ERRORS, HttpError, type HttpErrorCode } from './errors.ts';
export { installErrorHandling } from './error-handling.ts';
