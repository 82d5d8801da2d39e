/**
 * From one task's measured capacity to the autoscaling targets: ALBRequestCountPerTarget is a
 * per-minute count, held at a share of what one task carries within the latency objective, so
 * a task is added while there is still headroom for the minute or two a new one takes.
 */

import { join } from 'node:path';

/**
 * The committed run the deployment's autoscaling targets come from (`--scenarios=capacity,soak`
 * on the machine its `machine` field describes); its soak chart is next to it.
 */
export const COMMITTED_CAPACITY_RESULT = join(
  __dirname,
  '../../results/task-capacity-2cpu-amd-epyc-node24.json',
);

/** Share of the measured capacity the request-count policy holds each task at. */
export const REQUEST_TARGET_SHARE = 0.6;

/** Rounds to `digits` significant digits: a setting people read, not a false precision. */
export function roundSignificant(value: number, digits = 2): number {
  if (!(value > 0)) return 0;
  const scale = 10 ** (Math.floor(Math.log10(value)) + 1 - digits);
  return Math.round(value / scale) * scale;
}

/** The ALBRequestCountPerTarget target (requests per task per minute) for `capacityRps`. */
export function recommendedRequestsPerTarget(capacityRps: number): number {
  return roundSignificant(capacityRps * REQUEST_TARGET_SHARE * 60);
}

/** The rate (requests/s) one task serves when the request policy holds it at its target. */
export function targetRate(requestsPerTargetPerMinute: number): number {
  return requestsPerTargetPerMinute / 60;
}

/**
 * The CPU target that agrees with the request target: the task's CPU % at that rate, to the
 * nearest 5, kept within 20–90 % (target tracking needs headroom on either side).
 */
export function recommendedCpuTarget(cpuPercentAtTargetRate: number): number {
  return Math.min(90, Math.max(20, 5 * Math.round(cpuPercentAtTargetRate / 5)));
}

/** CPU time used over a wall-clock window, as a percentage of the task's CPUs (what ECS reports). */
export function taskCpuPercent(cpuMs: number, wallMs: number, cpus: number): number {
  return wallMs > 0 ? (100 * cpuMs) / (wallMs * cpus) : Number.NaN;
}
