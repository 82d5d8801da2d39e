import { cpuMsFromStat } from './server';

describe('cpuMsFromStat', () => {
  it('adds utime and stime (fields 14 and 15, in 1/100 s) as milliseconds', () => {
    const stat = '4242 (node) S 1 4242 4242 0 -1 4194304 9000 0 0 0 250 31 0 0 20 0 11 0';

    expect(cpuMsFromStat(stat)).toBe(2810);
  });

  it('copes with spaces and parentheses in the command name', () => {
    const stat = '7 (my (odd) name) R 1 7 7 0 -1 0 0 0 0 0 5 5 0 0 20 0 1 0';

    expect(cpuMsFromStat(stat)).toBe(100);
  });

  it('refuses a line it cannot read', () => {
    expect(() => cpuMsFromStat('garbage')).toThrow('unreadable');
  });
});
