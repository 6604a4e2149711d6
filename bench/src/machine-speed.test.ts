import { describe, expect, it } from 'vitest';
import { machineSpeedText, measureMachineSpeed, speedProbeRound } from './machine-speed.ts';

describe('the machine speed probe', () => {
  it('does the same work every round', () => {
    const first = speedProbeRound();
    expect(Number.isFinite(first)).toBe(true);
    expect(speedProbeRound()).toBe(first);
    expect(speedProbeRound(new Float64Array(1 << 18))).toBe(first);
  });

  it('reports rounds per second of the time it ran, and keeps the event loop answering', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const probe = await measureMachineSpeed('test', 0.3);
      expect(probe.at).toBe('test');
      expect(probe.roundsPerSec).toBeGreaterThan(0);
      // ~50 ms slices with the loop free between them: the 10 ms timer ran during the probe.
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
  });

  it('prints every probe and the slowest against the fastest', () => {
    expect(
      machineSpeedText([
        { at: 'start', roundsPerSec: 40 },
        { at: 'end', roundsPerSec: 30 },
      ]),
    ).toBe('start 40, end 30 rounds/s; slowest / fastest 0.75');
    expect(machineSpeedText([{ at: 'start', roundsPerSec: 40 }])).toBe('start 40 rounds/s');
  });
});
