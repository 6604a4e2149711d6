import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { HTTP_ERRORS, HttpError, type HttpErrorCode, retryAfterSeconds } from './errors.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
const codes = Object.keys(HTTP_ERRORS) as HttpErrorCode[];

describe('HTTP error registry', () => {
  test.each(codes)('%s is documented in the README with its status', (code) => {
    expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| ${HTTP_ERRORS[code].status} \\|`));
  });

  test.each(
    codes.filter((c) => HTTP_ERRORS[c].status === 503),
  )('503 %s carries the Retry-After the README documents', (code) => {
    const seconds = retryAfterSeconds(code);
    expect(seconds).toBeGreaterThan(0);
    expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| 503 \\|.*\`Retry-After: ${seconds}\``));
  });

  test('503s are retriable, caller mistakes are not', () => {
    for (const [code, e] of Object.entries(HTTP_ERRORS)) {
      if (e.status === 503) expect(e.retriable, code).toBe(true);
      if (e.status >= 400 && e.status < 500) expect(e.retriable, code).toBe(false);
    }
  });

  test('HttpError carries status, code and the Retry-After of its code', () => {
    expect(new HttpError('KAFKA_UNAVAILABLE', 'down')).toMatchObject({
      status: 503,
      code: 'KAFKA_UNAVAILABLE',
      message: 'down',
      retryAfterSeconds: 5,
    });
    expect(new HttpError('NOT_FOUND')).toMatchObject({
      message: HTTP_ERRORS.NOT_FOUND.message,
      retryAfterSeconds: undefined,
    });
  });
});
