import { readFileSync } from 'node:fs';
import { DEFAULT_SCALING_TARGETS } from '@prod-e/deployment';

import {
  COMMITTED_CAPACITY_RESULT,
  recommendedCpuTarget,
  recommendedRequestsPerTarget,
} from './autoscaling';

/** The part of the committed capacity result the settings come from. */
interface CommittedFinding {
  readonly capacityRps: number;
  readonly requestsPerTargetPerMinute: number;
  readonly cpuPercentAtRate: number;
  readonly cpuTargetPercent: number;
  readonly missesAtRate: readonly string[];
}

const committed = JSON.parse(readFileSync(COMMITTED_CAPACITY_RESULT, 'utf8')) as {
  scenarios: { capacity: { constrained: boolean; autoscaling: CommittedFinding } };
};
const finding = committed.scenarios.capacity.autoscaling;

describe('the deployment autoscaling targets and the committed capacity measurement', () => {
  it('were measured in a task-sized cgroup', () => {
    expect(committed.scenarios.capacity.constrained).toBe(true);
  });

  it('the request target is the recommendation from the measured capacity', () => {
    expect(recommendedRequestsPerTarget(finding.capacityRps)).toBe(
      finding.requestsPerTargetPerMinute,
    );
    expect(DEFAULT_SCALING_TARGETS.requestsPerTargetPerMinute).toBe(
      finding.requestsPerTargetPerMinute,
    );
  });

  it('read the CPU at that request rate from a run that met the latency objective', () => {
    expect(finding.missesAtRate).toEqual([]);
  });

  it('the CPU target is at most the task CPU measured at that request rate', () => {
    // At most: the CPU policy then never scales out later than the request policy would.
    expect(recommendedCpuTarget(finding.cpuPercentAtRate)).toBe(finding.cpuTargetPercent);
    expect(DEFAULT_SCALING_TARGETS.cpuPercent).toBeLessThanOrEqual(finding.cpuTargetPercent);
  });
});
