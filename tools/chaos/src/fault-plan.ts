// The seeded fault schedule of a run: when each SIGKILL happens, to which process, how long until
// the restart, and when the broker is stopped and for how long.
import { seededRandom } from '@shopfloor/contracts/testing';
import { EVENT_ROLES, type Role } from './chaos-cluster.ts';

export type KillPlan = { atMs: number; role: Role; restartDelayMs: number };
export type BrokerPlan = { atMs: number; downMs: number };

/** The seeded fault schedule: kill times and targets, restart delays, broker outages. */
export function planFaults(
  seed: number,
  durationMs: number,
  kills: number,
  brokerRestarts: number,
  roles: readonly Role[] = EVENT_ROLES,
): { kills: KillPlan[]; broker: BrokerPlan[] } {
  const rand = seededRandom(seed ^ 0x5bd1e995);
  const killPlans: KillPlan[] = [];
  for (let i = 0; i < kills; i++) {
    killPlans.push({
      atMs: Math.floor((0.05 + 0.85 * rand()) * durationMs),
      role: roles[Math.floor(rand() * roles.length)]!,
      restartDelayMs: Math.floor(rand() * 2_000),
    });
  }
  const broker: BrokerPlan[] = [];
  for (let i = 0; i < brokerRestarts; i++) {
    // Outages spread over the middle of the run, one per slice.
    const slice = 0.5 / brokerRestarts;
    broker.push({
      atMs: Math.floor((0.25 + slice * (i + rand())) * durationMs),
      downMs: 3_000 + Math.floor(rand() * 7_000),
    });
  }
  return { kills: killPlans.sort((a, b) => a.atMs - b.atMs), broker };
}
