import { parseArgs } from 'node:util';

export const SCENARIOS = [
  'live',
  'health',
  'request-log',
  'cold-start',
  'memory',
  'analytics',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** Seconds of measured load per round and variant. */
  readonly duration: number;
  /** Seconds of unmeasured load before the first round (JIT and pool warm-up). */
  readonly warmup: number;
  readonly connections: number;
  /** A/B rounds per throughput scenario; the table shows medians over rounds. */
  readonly rounds: number;
  readonly scenarios: readonly ScenarioName[];
  /** Spawns per app for the cold-start median. */
  readonly coldStarts: number;
  /** Seconds of load before RSS is read. */
  readonly memorySeconds: number;
  /** Run the memory scenario's servers in a memory cgroup of this many MiB (the task's size). */
  readonly memoryLimitMiB?: number;
  /** Request-log rows the analytics scenario inserts before it measures. */
  readonly logRows: number;
  /** Write V8 CPU profiles of every server into the results folder. */
  readonly cpuProf: boolean;
  /** Results file; default bench/results/<timestamp>.json. */
  readonly out?: string;
  readonly help: boolean;
}

/** The full run: 6 scenarios, 3 A/B rounds, about 7 minutes on 2 cores (inserting the 2 M rows included). */
export const FULL_RUN = {
  duration: 8,
  warmup: 1,
  connections: 50,
  rounds: 3,
  coldStarts: 5,
  memorySeconds: 30,
  logRows: 2_000_000,
} as const;

/**
 * `--quick`: a smoke run of every scenario, about 45 s of which ~20 s are server and database
 * starts (numbers are indicative only: one short round, no warm-up).
 */
export const QUICK_RUN = {
  duration: 2,
  warmup: 0,
  connections: 50,
  rounds: 1,
  coldStarts: 1,
  memorySeconds: 3,
  logRows: 100_000,
} as const;

export const USAGE = `Usage: nx run bench:run [-- options]

  --duration <s>        measured seconds per round and app (default ${FULL_RUN.duration})
  --warmup <s>          unmeasured warm-up seconds per app and scenario (default ${FULL_RUN.warmup})
  --connections <n>     concurrent connections (default ${FULL_RUN.connections})
  --rounds <n>          A/B rounds per throughput scenario (default ${FULL_RUN.rounds})
  --scenarios <list>    comma list of ${SCENARIOS.join(', ')} (default all)
  --cold-starts <n>     spawns per app for the cold-start median (default ${FULL_RUN.coldStarts})
  --memory-seconds <s>  seconds of load before RSS is read (default ${FULL_RUN.memorySeconds})
  --log-rows <n>        request-log rows the analytics scenario inserts (default ${FULL_RUN.logRows})
  --memory-limit <MiB>  memory scenario inside a cgroup memory limit, as in the task (e.g. 512;
                        needs a writable memory cgroup, usually root; default no limit)
  --quick               smoke run: ${QUICK_RUN.rounds} round of ${QUICK_RUN.duration} s, ${QUICK_RUN.memorySeconds} s memory load
  --cpu-prof            write a V8 CPU profile of every server (see README)
  --out <file>          results JSON (default bench/results/<timestamp>.json)
  --help                this text`;

export class OptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid options:\n${problems.map((p) => `  ${p}`).join('\n')}\n\n${USAGE}`);
    this.name = 'OptionsError';
  }
}

const NUMERIC = {
  duration: { flag: '--duration', min: 1, max: 600 },
  warmup: { flag: '--warmup', min: 0, max: 60 },
  connections: { flag: '--connections', min: 1, max: 1000 },
  rounds: { flag: '--rounds', min: 1, max: 50 },
  'cold-starts': { flag: '--cold-starts', min: 1, max: 50 },
  'memory-seconds': { flag: '--memory-seconds', min: 1, max: 600 },
  'memory-limit': { flag: '--memory-limit', min: 64, max: 65_536 },
  'log-rows': { flag: '--log-rows', min: 1_000, max: 50_000_000 },
} as const;
type NumericKey = keyof typeof NUMERIC;

/**
 * Parses the command line. Every bad option is reported at once (OptionsError), so one retry
 * fixes them all. `--quick` changes the defaults; explicit options still win over it.
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const config = {
    ...(Object.fromEntries(Object.keys(NUMERIC).map((key) => [key, { type: 'string' }])) as Record<
      NumericKey,
      { type: 'string' }
    >),
    scenarios: { type: 'string' },
    quick: { type: 'boolean' },
    'cpu-prof': { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  } as const;
  // Not strict, so that unknown and malformed flags are collected with every other problem.
  const { values: loose, tokens } = parseArgs({
    args: [...argv],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') problems.push(`unexpected argument "${token.value}"`);
    if (token.kind !== 'option') continue;
    const known = (config as Record<string, { type: string }>)[token.name];
    if (!known) problems.push(`${token.rawName}: unknown option`);
    else if (known.type === 'string' && token.value === undefined)
      problems.push(`${token.rawName}: needs a value`);
    else if (known.type === 'boolean' && token.value !== undefined)
      problems.push(`${token.rawName}: takes no value`);
  }
  const text = (key: keyof typeof config) =>
    typeof loose[key] === 'string' ? (loose[key] as string) : undefined;
  const flagSet = (key: keyof typeof config) => loose[key] === true;
  const values = {
    ...(Object.fromEntries(
      Object.keys(NUMERIC).map((key) => [key, text(key as NumericKey)]),
    ) as Record<NumericKey, string | undefined>),
    scenarios: text('scenarios'),
    out: text('out'),
    quick: flagSet('quick'),
    'cpu-prof': flagSet('cpu-prof'),
    help: flagSet('help'),
  };
  const preset = values.quick ? QUICK_RUN : FULL_RUN;

  const numeric = (key: NumericKey, fallback: number): number => {
    const raw = values[key];
    if (raw === undefined) return fallback;
    const { flag, min, max } = NUMERIC[key];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${flag}: must be a whole number from ${min} to ${max} (got "${raw}")`);
    }
    return value;
  };

  const duration = numeric('duration', preset.duration);
  const warmup = numeric('warmup', preset.warmup);
  const connections = numeric('connections', preset.connections);
  const rounds = numeric('rounds', preset.rounds);
  const coldStarts = numeric('cold-starts', preset.coldStarts);
  const memorySeconds = numeric('memory-seconds', preset.memorySeconds);
  const logRows = numeric('log-rows', preset.logRows);
  const memoryLimitMiB =
    values['memory-limit'] === undefined ? undefined : numeric('memory-limit', 0);
  const scenarios = (values.scenarios ?? SCENARIOS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = scenarios.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0 || scenarios.length === 0) {
    problems.push(
      `--scenarios: ${unknown.length ? `unknown "${unknown.join('", "')}"` : 'empty list'}; choose from ${SCENARIOS.join(', ')}`,
    );
  }

  const options: BenchOptions = {
    duration,
    warmup,
    connections,
    rounds,
    coldStarts,
    memorySeconds,
    memoryLimitMiB,
    logRows,
    // Keep the canonical order whatever order was typed, so tables line up between runs.
    scenarios: SCENARIOS.filter((name) => scenarios.includes(name)),
    cpuProf: values['cpu-prof'],
    out: values.out,
    help: values.help,
  };
  if (problems.length > 0) throw new OptionsError(problems);
  return options;
}
