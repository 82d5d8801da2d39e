import {
  recommendedCpuTarget,
  recommendedRequestsPerTarget,
  roundSignificant,
  targetRate,
  taskCpuPercent,
} from './autoscaling';

describe('roundSignificant', () => {
  it.each([
    [5_868, 5_900],
    [12_345, 12_000],
    [96, 96],
    [0.1234, 0.12],
    [0, 0],
  ])('%s to two significant digits is %s', (value, rounded) => {
    expect(roundSignificant(value)).toBeCloseTo(rounded, 10);
  });
});

describe('recommendedRequestsPerTarget', () => {
  it('is 60 % of the capacity, per minute, to two significant digits', () => {
    // 163 req/s × 0.6 × 60 = 5,868 per minute.
    expect(recommendedRequestsPerTarget(163)).toBe(5_900);
    expect(targetRate(5_900)).toBeCloseTo(98.33, 2);
  });
});

describe('recommendedCpuTarget', () => {
  it('rounds the CPU % at the target rate to 5 and keeps it within 20–90 %', () => {
    expect(recommendedCpuTarget(63.9)).toBe(65);
    expect(recommendedCpuTarget(61)).toBe(60);
    expect(recommendedCpuTarget(7)).toBe(20);
    expect(recommendedCpuTarget(99)).toBe(90);
  });
});

describe('taskCpuPercent', () => {
  it('is CPU time over wall time, as a share of the task CPUs', () => {
    // 0.25 CPU for 20 s is 5 s of CPU: 3 s of it is 60 %.
    expect(taskCpuPercent(3_000, 20_000, 0.25)).toBeCloseTo(60);
    expect(taskCpuPercent(1, 0, 0.25)).toBeNaN();
  });
});
