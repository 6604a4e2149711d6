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
  // Every stream service that runs is killed at least once (a short run would otherwise often spare
  // one): a kill of the most-killed process goes to it instead. An events-only plan is unchanged.
  for (const role of roles.filter((r) => !EVENT_ROLES.includes(r))) {
    if (killPlans.some((k) => k.role === role)) continue;
    const counts = new Map<Role, number>();
    for (const k of killPlans) counts.set(k.role, (counts.get(k.role) ?? 0) + 1);
    const [most, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
    if (most === undefined || n < 2) continue;
    const moved = killPlans.findLast((k) => k.role === most);
    if (moved) moved.role = role;
  }
  return { kills: killPlans.sort((a, b) => a.atMs - b.atMs), broker };
}
