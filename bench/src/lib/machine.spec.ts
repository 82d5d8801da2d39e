import { cpuModelFrom } from './machine';

describe('cpuModelFrom', () => {
  it('reads the first model name of /proc/cpuinfo', () => {
    const cpuinfo =
      'processor\t: 0\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: other\n';

    expect(cpuModelFrom(cpuinfo)).toBe('AMD EPYC 7B13');
  });

  it('falls back to a non-empty name when /proc/cpuinfo is missing', () => {
    expect(cpuModelFrom(undefined).length).toBeGreaterThan(0);
  });
});
