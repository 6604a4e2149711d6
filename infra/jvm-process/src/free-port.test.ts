import { describe, expect, it } from 'vitest';
import { twoPorts } from './free-port.ts';

describe('twoPorts', () => {
  it('keeps the ports asked for', async () => {
    expect(await twoPorts(9092, 9093)).toEqual([9092, 9093]);
  });

  it('picks free ones where none is asked for, never the same twice', async () => {
    const [a, b] = await twoPorts(undefined, 0);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a).not.toBe(b);
    const [given, free] = await twoPorts(a);
    expect(given).toBe(a);
    expect(free).not.toBe(a);
  });
});
