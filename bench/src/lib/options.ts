import { CliError, ExitCode } from '@prod-e/cli-kit';
import { Command } from 'commander';

export const SCENARIOS = [
  'live',
  'health',
  'request-log',
  'cold-start',
  'memory',
  'analytics',
  'capacity',
  'soak',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The endpoints the capacity scenario can measure (`--endpoints`). */
export const ENDPOINTS = ['live', 'health', 'requests'] as const;
export type EndpointName = (typeof ENDPOINTS)[number];

/** What runs without --scenarios: the A/B comparison (capacity and soak take ~30 min more). */
export const DEFAULT_SCENARIOS: readonly ScenarioName[] = SCENARIOS.filter(
  (name) => name !== 'capacity' && name !== 'soak',
);

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
  /**
   * Memory limit (MiB) of the cgroup servers run in: the memory scenario's only when given;
   * capacity and soak default to the task's (DEFAULT_TASK_MEMORY_MIB).
   */
  readonly memoryLimitMiB?: number;
  /** CPUs of the capacity and soak scenarios' cgroup; default the task's (DEFAULT_TASK_CPU / 1024). */
  readonly cpus?: number;
  /** Seconds each capacity run must meet the objective for (the ramp's runs are shorter). */
  readonly capacitySeconds: number;
  /** Endpoints the capacity scenario measures, in canonical order. */
  readonly endpoints: readonly EndpointName[];
  /** The capacity objective: p99 latency at most this many ms (and no errors). */
  readonly p99Ms: number;
  /** Minutes of the soak. */
  readonly soakMinutes: number;
  /** Soak rate, requests/s; default 70 % of the logged route's capacity measured in the same run. */
  readonly soakRate?: number;
  /**
   * Scheduling priority (nice, -20..19) of the servers and the load generator: below 0 (root)
   * they are not kept waiting by other work on a shared machine, as a task gets its CPU share.
   */
  readonly nice?: number;
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
  capacitySeconds: 20,
  p99Ms: 100,
  soakMinutes: 10,
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
  capacitySeconds: 3,
  p99Ms: 100,
  soakMinutes: 1,
} as const;

export const USAGE = `Usage: nx run bench:run [-- options]

  --duration <s>        measured seconds per round and app (default ${FULL_RUN.duration})
  --warmup <s>          unmeasured warm-up seconds per app and scenario (default ${FULL_RUN.warmup})
  --connections <n>     concurrent connections (default ${FULL_RUN.connections})
  --rounds <n>          A/B rounds per throughput scenario (default ${FULL_RUN.rounds})
  --scenarios <list>    comma list of ${SCENARIOS.join(', ')}
                        (default ${DEFAULT_SCENARIOS.join(', ')}: the A/B comparison)
  --cold-starts <n>     spawns per app for the cold-start median (default ${FULL_RUN.coldStarts})
  --memory-seconds <s>  seconds of load before RSS is read (default ${FULL_RUN.memorySeconds})
  --log-rows <n>        request-log rows the analytics scenario inserts (default ${FULL_RUN.logRows})
  --memory-limit <MiB>  memory scenario inside a cgroup memory limit, as in the task (e.g. 512;
                        needs a writable memory cgroup, usually root; default no limit)
  --cpus <n>            CPUs of the task-sized cgroup of capacity and soak (default 0.25, the task's)
  --capacity-seconds <s>  seconds a capacity run must meet the objective (default ${FULL_RUN.capacitySeconds})
  --endpoints <list>    capacity on these of ${ENDPOINTS.join(', ')} (default all)
  --p99 <ms>            capacity objective: p99 latency at most this, no errors (default ${FULL_RUN.p99Ms})
  --soak-minutes <n>    soak length (default ${FULL_RUN.soakMinutes})
  --soak-rate <req/s>   soak rate (default 70 % of the logged route's capacity from the same run)
  --nice <n>            scheduling priority of servers and load generator (-20..19; below 0
                        needs root: other work on a shared machine no longer delays them)
  --quick               smoke run: ${QUICK_RUN.rounds} round of ${QUICK_RUN.duration} s, ${QUICK_RUN.memorySeconds} s memory load
  --cpu-prof            write a V8 CPU profile of every server (see README)
  --out <file>          results JSON (default bench/results/<timestamp>.json)
  --help                this text`;

export class OptionsError extends CliError {
  override readonly name = 'OptionsError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid options:\n${problems.map((p) => `  ${p}`).join('\n')}\n\n${USAGE}`, {
      exitCode: ExitCode.USAGE,
    });
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
  cpus: { flag: '--cpus', min: 0.05, max: 64, decimal: true },
  'capacity-seconds': { flag: '--capacity-seconds', min: 1, max: 600 },
  p99: { flag: '--p99', min: 1, max: 10_000 },
  'soak-minutes': { flag: '--soak-minutes', min: 1, max: 240 },
  'soak-rate': { flag: '--soak-rate', min: 1, max: 1_000_000 },
  nice: { flag: '--nice', min: -20, max: 19 },
} as const satisfies Record<string, { flag: string; min: number; max: number; decimal?: true }>;
type NumericKey = keyof typeof NUMERIC;

const STRING_OPTIONS = [
  ...(Object.keys(NUMERIC) as NumericKey[]),
  'scenarios',
  'endpoints',
  'out',
] as const;
const FLAGS = ['quick', 'cpu-prof', 'help'] as const;
type StringKey = (typeof STRING_OPTIONS)[number];
type FlagKey = (typeof FLAGS)[number];

/**
 * The raw values of the command line, read by commander. Values are optional to commander and
 * unknown options allowed, so that a missing value, an unknown flag and a stray argument are
 * collected with every other problem instead of ending the parse at the first.
 */
function readArgs(argv: readonly string[], problems: string[]) {
  const command = new Command('bench')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments();
  for (const key of STRING_OPTIONS) command.option(`--${key} [value]`);
  for (const key of FLAGS) command.option(`--${key}`);
  const { operands, unknown } = command.parseOptions([...argv]);
  for (const arg of [...unknown, ...operands]) {
    const name = arg.split('=')[0];
    if (!arg.startsWith('-')) problems.push(`unexpected argument "${arg}"`);
    else if ((FLAGS as readonly string[]).includes(name.slice(2))) {
      problems.push(`${name}: takes no value`);
    } else problems.push(`${arg}: unknown option`);
  }
  const opts = command.opts<Partial<Record<string, string | true>>>();
  const text = (key: StringKey) => {
    if (opts[camel(key)] === true) problems.push(`--${key}: needs a value`);
    const value = opts[camel(key)];
    return typeof value === 'string' ? value : undefined;
  };
  const flagSet = (key: FlagKey) => opts[camel(key)] === true;
  return {
    ...(Object.fromEntries(STRING_OPTIONS.map((key) => [key, text(key)])) as Record<
      StringKey,
      string | undefined
    >),
    quick: flagSet('quick'),
    'cpu-prof': flagSet('cpu-prof'),
    help: flagSet('help'),
  };
}

/** commander's attribute name of a flag (`cold-starts` → `coldStarts`). */
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** A numeric option, range-checked against NUMERIC; `fallback` when absent. */
function numericOption(
  raw: string | undefined,
  key: NumericKey,
  fallback: number,
  problems: string[],
): number {
  if (raw === undefined) return fallback;
  const spec: { flag: string; min: number; max: number; decimal?: true } = NUMERIC[key];
  const value = Number(raw);
  const wellFormed = spec.decimal ? Number.isFinite(value) : Number.isInteger(value);
  if (raw.trim() === '' || !wellFormed || value < spec.min || value > spec.max) {
    const kind = spec.decimal ? 'a number' : 'a whole number';
    problems.push(`${spec.flag}: must be ${kind} from ${spec.min} to ${spec.max} (got "${raw}")`);
  }
  return value;
}

/** A comma-separated choice of `allowed`, kept in the canonical order whatever order was typed. */
function listOption<T extends string>(
  raw: string | undefined,
  flag: string,
  allowed: readonly T[],
  fallback: readonly T[],
  problems: string[],
): T[] {
  const names = (raw ?? fallback.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    problems.push(
      `${flag}: ${unknown.length ? `unknown "${unknown.join('", "')}"` : 'empty list'}; choose from ${allowed.join(', ')}`,
    );
  }
  return allowed.filter((name) => names.includes(name));
}

/**
 * Parses the command line. Every bad option is reported at once (OptionsError), so one retry
 * fixes them all. `--quick` changes the defaults; explicit options still win over it.
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const problems: string[] = [];
  const values = readArgs(argv, problems);
  const preset = values.quick ? QUICK_RUN : FULL_RUN;
  const numeric = (key: NumericKey, fallback: number) =>
    numericOption(values[key], key, fallback, problems);
  const optional = (key: NumericKey) => (values[key] === undefined ? undefined : numeric(key, 0));
  const options: BenchOptions = {
    duration: numeric('duration', preset.duration),
    warmup: numeric('warmup', preset.warmup),
    connections: numeric('connections', preset.connections),
    rounds: numeric('rounds', preset.rounds),
    coldStarts: numeric('cold-starts', preset.coldStarts),
    memorySeconds: numeric('memory-seconds', preset.memorySeconds),
    memoryLimitMiB: optional('memory-limit'),
    cpus: optional('cpus'),
    capacitySeconds: numeric('capacity-seconds', preset.capacitySeconds),
    endpoints: listOption(values.endpoints, '--endpoints', ENDPOINTS, ENDPOINTS, problems),
    p99Ms: numeric('p99', preset.p99Ms),
    soakMinutes: numeric('soak-minutes', preset.soakMinutes),
    soakRate: optional('soak-rate'),
    nice: optional('nice'),
    logRows: numeric('log-rows', preset.logRows),
    scenarios: listOption(values.scenarios, '--scenarios', SCENARIOS, DEFAULT_SCENARIOS, problems),
    cpuProf: values['cpu-prof'],
    out: values.out,
    help: values.help,
  };
  if (problems.length > 0) throw new OptionsError(problems);
  return options;
}
