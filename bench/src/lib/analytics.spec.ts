import { percentile } from './analytics';

describe('percentile (nearest rank)', () => {
  it('takes the value at or above the rank', () => {
    const values = [5, 1, 4, 2, 3];
    expect([percentile(values, 50), percentile(values, 99), percentile(values, 1)]).toEqual([
      3, 5, 1,
    ]);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});
