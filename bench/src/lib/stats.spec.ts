import { median, pairedRatio, ratio, round } from './stats';

describe('median', () => {
  it('takes the middle value of an odd-length list, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the middle two of an even-length list', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow('empty');
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('ratio and round', () => {
  it('divides, and gives NaN against zero', () => {
    expect(ratio(6, 3)).toBe(2);
    expect(ratio(1, 0)).toBeNaN();
  });

  it('rounds to the requested decimals', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(1.23456, 3)).toBe(1.235);
  });
});

describe('pairedRatio', () => {
  const sample = (label: string, round: number, rps: number) => ({ label, round, rps });

  it('takes the median of per-round ratios, not the ratio of medians', () => {
    // A noisy machine: round 2 ran slow for both sides.
    const samples = [
      sample('a', 1, 1000),
      sample('b', 1, 1100),
      sample('a', 2, 2000),
      sample('b', 2, 1300),
      sample('a', 3, 2500),
      sample('b', 3, 2300),
    ];

    expect(pairedRatio(samples, 'a', 'b', (s) => s.rps)).toBeCloseTo(2300 / 2500);
  });

  it('skips rounds without a pair or with a zero reference, and gives NaN when none is left', () => {
    const samples = [sample('a', 1, 0), sample('b', 1, 5), sample('b', 2, 7)];

    expect(pairedRatio(samples, 'a', 'b', (s) => s.rps)).toBeNaN();
  });
});
