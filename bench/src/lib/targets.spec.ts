import { healthQueryTarget, summaryRow, TARGETS, verdict } from './targets';

describe('verdict', () => {
  it('checks a ratio target against candidate ÷ reference', () => {
    expect(verdict(TARGETS.liveThroughput, 2000, 1000)).toBe('PASS');
    expect(verdict(TARGETS.liveThroughput, 1999, 1000)).toBe('MISS');
    expect(verdict(TARGETS.coldStart, 300, 500)).toBe('PASS');
    expect(verdict(TARGETS.coldStart, 301, 500)).toBe('MISS');
  });

  it('checks a value target against the candidate alone', () => {
    const target = healthQueryTarget(8_000, 1_000);

    expect(verdict(target, 9, 16_000)).toBe('PASS');
    expect(verdict(target, 10, 16_000)).toBe('MISS');
  });

  it('gives no verdict without a target, and MISS against a zero reference', () => {
    expect(verdict(undefined, 1, 1)).toBe('—');
    expect(verdict(TARGETS.memory, 10, 0)).toBe('MISS');
  });
});

describe('healthQueryTarget', () => {
  it('allows one query per started cache period plus one in flight', () => {
    expect(healthQueryTarget(8_000, 1_000)).toMatchObject({ limit: 9, op: '<=', on: 'value' });
    expect(healthQueryTarget(8_050, 1_000).limit).toBe(10);
  });
});

describe('summaryRow', () => {
  it('adds the ratio and the verdict', () => {
    const row = summaryRow({
      scenario: '/health/live',
      metric: 'requests/s',
      reference: { label: 'baseline', value: 1000 },
      candidate: { label: 'prod-e', value: 2500 },
      target: TARGETS.liveThroughput,
    });

    expect(row).toMatchObject({ ratio: 2.5, verdict: 'PASS' });
  });

  it('judges a ratio target by the paired ratio when one is given', () => {
    const row = summaryRow(
      {
        scenario: '/health/live',
        metric: 'requests/s',
        reference: { label: 'baseline', value: 1000 },
        candidate: { label: 'prod-e', value: 2500 },
        target: TARGETS.liveThroughput,
      },
      1.5,
    );

    expect(row).toMatchObject({ ratio: 1.5, verdict: 'MISS' });
  });
});
