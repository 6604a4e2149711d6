import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { HTTP_ERRORS, HttpError, type HttpErrorCode } from './errors.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');

describe('HTTP error registry', () => {
  test.each(
    Object.keys(HTTP_ERRORS) as HttpErrorCode[],
  )('%s is documented in the README with its status', (code) => {
    expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| ${HTTP_ERRORS[code].status} \\|`));
  });

  test('503s are retriable, caller mistakes are not', () => {
    for (const [code, e] of Object.entries(HTTP_ERRORS)) {
      if (e.status === 503) expect(e.retriable, code).toBe(true);
      if (e.status >= 400 && e.status < 500) expect(e.retriable, code).toBe(false);
    }
  });

  test('HttpError carries status, code and Retry-After', () => {
    const e = new HttpError('KAFKA_UNAVAILABLE', 'down', 5);
    expect(e).toMatchObject({
      status: 503,
      code: 'KAFKA_UNAVAILABLE',
      message: 'down',
      retryAfterSeconds: 5,
    });
    expect(new HttpError('NOT_FOUND').message).toBe(HTTP_ERRORS.NOT_FOUND.message);
  });
});
