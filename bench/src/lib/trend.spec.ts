import { leastSquaresSlope, rssSlopeMiBPerMinute } from './trend';

describe('leastSquaresSlope', () => {
  it('is the slope of a straight line, and of noise around it', () => {
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })))).toBeCloseTo(2);
    const noisy = [0, 1, 2, 3, 4, 5].map((x) => ({ x, y: 3 * x + (x % 2 === 0 ? 1 : -1) }));
    expect(leastSquaresSlope(noisy)).toBeCloseTo(3 - 3 / 17.5, 5);
  });

  it('is NaN without two distinct x', () => {
    expect(leastSquaresSlope([{ x: 1, y: 1 }])).toBeNaN();
    expect(
      leastSquaresSlope([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNaN();
  });
});

describe('rssSlopeMiBPerMinute', () => {
  it('ignores the warm-up and gives MiB per minute', () => {
    // 40 MiB of warm-up growth in the first minute, then 0.5 MiB per minute.
    const samples = Array.from({ length: 61 }, (_, i) => {
      const atS = i * 10;
      return { atS, rssMiB: atS < 60 ? 60 + (40 * atS) / 60 : 100 + (0.5 * (atS - 60)) / 60 };
    });

    expect(rssSlopeMiBPerMinute(samples, 60)).toBeCloseTo(0.5, 6);
    expect(rssSlopeMiBPerMinute(samples, 0)).toBeGreaterThan(1);
  });
});
