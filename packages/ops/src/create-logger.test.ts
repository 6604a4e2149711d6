import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';

describe('createLogger', () => {
  it('writes JSON lines unless asked for pretty output', () => {
    const log = createLogger({ name: 'x', level: 'info', pretty: false });
    expect(log.level).toBe('info');
    expect(typeof log.info).toBe('function');
  });
  it('pretty output keeps the level and name', () => {
    const log = createLogger({ name: 'y', level: 'debug', pretty: true });
    expect(log.level).toBe('debug');
    expect(log.bindings()).toMatchObject({ name: 'y' });
  });
});
