import { DEFAULT_SCENARIOS, FULL_RUN, OptionsError, parseOptions, QUICK_RUN } from './options';

function problemsOf(argv: string[]): readonly string[] {
  try {
    parseOptions(argv);
  } catch (error) {
    if (error instanceof OptionsError) return error.problems;
    throw error;
  }
  throw new Error('expected an OptionsError');
}

describe('parseOptions', () => {
  it('defaults to the full run of the A/B comparison', () => {
    expect(parseOptions([])).toMatchObject({
      ...FULL_RUN,
      scenarios: [...DEFAULT_SCENARIOS],
      cpuProf: false,
      help: false,
    });
  });

  it('uses the quick preset with --quick, and explicit values still win', () => {
    expect(parseOptions(['--quick'])).toMatchObject(QUICK_RUN);
    expect(parseOptions(['--quick', '--rounds', '2']).rounds).toBe(2);
  });

  it('keeps the canonical scenario order whatever order was typed', () => {
    expect(parseOptions(['--scenarios', 'memory, live']).scenarios).toEqual(['live', 'memory']);
  });

  it('reads the other flags', () => {
    expect(
      parseOptions(['--connections=10', '--cpu-prof', '--out', 'x.json', '--cold-starts', '3']),
    ).toMatchObject({ connections: 10, cpuProf: true, out: 'x.json', coldStarts: 3 });
  });

  it('runs the memory scenario without a memory limit unless --memory-limit gives one', () => {
    expect(parseOptions([]).memoryLimitMiB).toBeUndefined();
    expect(parseOptions(['--memory-limit', '512']).memoryLimitMiB).toBe(512);
    expect(problemsOf(['--memory-limit', '16'])).toEqual([
      '--memory-limit: must be a whole number from 64 to 65536 (got "16")',
    ]);
  });

  it('leaves capacity and soak out of the default run', () => {
    expect(DEFAULT_SCENARIOS).not.toContain('capacity');
    expect(DEFAULT_SCENARIOS).not.toContain('soak');
    expect(parseOptions(['--scenarios', 'soak,capacity']).scenarios).toEqual(['capacity', 'soak']);
  });

  it('reads the task size and the capacity and soak settings', () => {
    expect(
      parseOptions([
        '--cpus',
        '0.25',
        '--memory-limit',
        '512',
        '--capacity-seconds',
        '30',
        '--p99',
        '50',
        '--soak-minutes',
        '5',
        '--soak-rate',
        '700',
      ]),
    ).toMatchObject({
      cpus: 0.25,
      memoryLimitMiB: 512,
      capacitySeconds: 30,
      p99Ms: 50,
      soakMinutes: 5,
      soakRate: 700,
    });
    expect(parseOptions([])).toMatchObject({ capacitySeconds: 20, p99Ms: 100, soakMinutes: 10 });
    expect(parseOptions([]).cpus).toBeUndefined();
    expect(parseOptions([]).soakRate).toBeUndefined();
  });

  it('measures capacity on the chosen endpoints, in canonical order', () => {
    expect(parseOptions([]).endpoints).toEqual(['live', 'health', 'requests']);
    expect(parseOptions(['--endpoints', 'requests,live']).endpoints).toEqual(['live', 'requests']);
    expect(problemsOf(['--endpoints', 'live,stats'])).toEqual([
      '--endpoints: unknown "stats"; choose from live, health, requests',
    ]);
  });

  it('reads a negative priority, and refuses one out of range', () => {
    expect(parseOptions(['--nice=-10']).nice).toBe(-10);
    expect(parseOptions([]).nice).toBeUndefined();
    expect(parseOptions(['--nice', '-10']).nice).toBe(-10);
    expect(problemsOf(['--nice=-21'])).toEqual([
      '--nice: must be a whole number from -20 to 19 (got "-21")',
    ]);
  });

  it('takes a fraction of a CPU but not a fraction of a second', () => {
    expect(problemsOf(['--cpus', 'quarter', '--cpus=0', '--capacity-seconds', '2.5'])).toEqual([
      '--cpus: must be a number from 0.05 to 64 (got "0")',
      '--capacity-seconds: must be a whole number from 1 to 600 (got "2.5")',
    ]);
  });

  it('reports every bad option at once', () => {
    const problems = problemsOf(['--duration', '0', '--rounds', 'two', '--scenarios', 'live,fast']);

    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toEqual(
      expect.stringMatching(/--duration[\s\S]*--rounds[\s\S]*--scenarios: unknown "fast"/),
    );
  });

  it('reports unknown flags, missing values and stray arguments with the rest, and the usage', () => {
    const problems = problemsOf(['--turbo', '--quick=yes', 'extra', '--duration=0', '--rounds']);

    expect(problems).toEqual([
      '--turbo: unknown option',
      '--quick: takes no value',
      'unexpected argument "extra"',
      '--rounds: needs a value',
      '--duration: must be a whole number from 1 to 600 (got "0")',
    ]);
    expect(() => parseOptions(['--turbo'])).toThrow(/Usage:/);
  });
});
