import { describe, expect, it } from 'vitest';
import { exitWhenAMemberStops, MEMBER_STOPPED_EXIT_CODE } from './exit-when-a-member-stops.ts';

describe('exitWhenAMemberStops', () => {
  it('logs the first member to stop, with its reason, and shuts down with exit 1', async () => {
    const fatal: { obj: object; msg: string }[] = [];
    const exits: number[] = [];
    const reason = new Error('bad record');
    let stopSensor!: () => void;
    exitWhenAMemberStops(
      { fatal: (obj, msg) => fatal.push({ obj, msg }) },
      [
        new Promise(() => {}),
        new Promise((resolve) => {
          stopSensor = () => resolve({ member: 'sensor projector', reason });
        }),
      ],
      (code) => exits.push(code),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(exits).toEqual([]);

    stopSensor();
    await new Promise((r) => setTimeout(r, 10));
    expect(exits).toEqual([MEMBER_STOPPED_EXIT_CODE]);
    expect(MEMBER_STOPPED_EXIT_CODE).toBe(1);
    expect(fatal).toEqual([
      {
        obj: { member: 'sensor projector', err: reason },
        msg: 'sensor projector stopped for good: stopping the process (exit 1) for its supervisor to restart it',
      },
    ]);
  });
});
