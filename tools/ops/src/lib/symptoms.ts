/**
 * The symptom table: what a failed rollout looks like and the one command to run next. `verify`
 * prints the first matching row's command under its diagnostics, and docs/ops.md renders the same
 * rows (a test keeps the two identical), so the runbook and the tool never disagree.
 */

/** What diagnostics saw, reduced to what the table matches on. */
export interface SymptomInput {
  environment: string;
  /** `stopCode: stoppedReason` and container reasons of the failing deployment's stopped tasks. */
  stopReasons: string[];
  /** Non-zero container exit codes of those tasks. */
  exitCodes: number[];
  /** ELB reason codes of the deployment's unhealthy targets (`Target.ResponseCodeMismatch`). */
  targetReasons: string[];
  /** `/health`'s HTTP status and `database` field, when it answered. */
  health: { status: number | null; database: string | null } | null;
  /** The newest stopped task of the deployment and how far back its log starts. */
  task: { id: string; since: string } | null;
  /** The task definition being deployed, `family:revision`. */
  taskDefinition: string | null;
}

export interface Symptom {
  /** How the runbook names it. */
  title: string;
  /** What prod-e looks for, in words (for the runbook). */
  signal: string;
  /** The next command, as the runbook shows it. */
  command: string;
  matches(input: SymptomInput): boolean;
  /** The command filled in for this failure. */
  next(input: SymptomInput): string;
}

const any = (values: readonly string[], pattern: RegExp) => values.some((v) => pattern.test(v));
const env = (input: SymptomInput) => `--env ${input.environment}`;
const taskLogs = (input: SymptomInput) =>
  input.task
    ? `prod-e logs ${env(input)} --task ${input.task.id} --since ${input.task.since}`
    : `prod-e logs ${env(input)} --previous`;
const preflight = (input: SymptomInput) =>
  `prod-e preflight ${env(input)}${input.taskDefinition ? ` --task-definition ${input.taskDefinition}` : ''}`;

export const SYMPTOMS: readonly Symptom[] = [
  {
    title: 'Image pull failure',
    signal: 'a stopped task says `CannotPullContainerError`',
    command: 'prod-e preflight --task-definition <family:revision>',
    matches: (i) => any(i.stopReasons, /CannotPullContainerError/),
    next: preflight,
  },
  {
    title: 'Secrets or registry auth cannot be fetched',
    signal: 'a stopped task says `ResourceInitializationError`',
    command: 'prod-e preflight --task-definition <family:revision>',
    matches: (i) => any(i.stopReasons, /ResourceInitializationError/),
    next: preflight,
  },
  {
    title: 'Out of memory',
    signal: 'exit code 137 or `OutOfMemoryError`',
    command: 'prod-e logs --task <id> --since <duration>',
    matches: (i) => i.exitCodes.includes(137) || any(i.stopReasons, /OutOfMemory/i),
    next: taskLogs,
  },
  {
    title: 'Container crash',
    signal: 'a container exited with a non-zero code (1: the app failed to start)',
    command: 'prod-e logs --task <id> --since <duration>',
    matches: (i) => i.exitCodes.length > 0,
    next: taskLogs,
  },
  {
    title: 'Database unreachable',
    signal: '`/health` answers `database: "disconnected"`',
    command: "prod-e logs --filter '{ $.level >= 40 }' --since 30m",
    matches: (i) => i.health?.database === 'disconnected',
    next: (i) => `prod-e logs ${env(i)} --filter '{ $.level >= 40 }' --since 30m`,
  },
  {
    title: 'Health checks fail with an answer',
    signal: 'targets report `Target.ResponseCodeMismatch`',
    command: "prod-e logs --filter '{ $.level >= 40 }' --since 30m",
    matches: (i) => i.targetReasons.includes('Target.ResponseCodeMismatch'),
    next: (i) => `prod-e logs ${env(i)} --filter '{ $.level >= 40 }' --since 30m`,
  },
  {
    title: 'Health checks get no answer',
    signal: 'targets report `Target.Timeout` or `Target.FailedHealthChecks`',
    command: 'prod-e resources',
    matches: (i) => any(i.targetReasons, /^Target\.(Timeout|FailedHealthChecks)$/),
    next: (i) => `prod-e resources ${env(i)}`,
  },
  {
    title: 'Anything else',
    signal: 'no row above matched',
    command: 'prod-e rollback',
    matches: () => true,
    next: (i) => `prod-e rollback ${env(i)}`,
  },
];

/** The first row that matches: the one next command verify prints. */
export function nextCommand(input: SymptomInput): { symptom: string; command: string } {
  const symptom = SYMPTOMS.find((s) => s.matches(input)) ?? SYMPTOMS[SYMPTOMS.length - 1];
  return { symptom: symptom.title, command: symptom.next(input) };
}

/** The table as docs/ops.md shows it (Markdown, prettier's column padding). */
export function renderSymptomTable(): string[] {
  const rows = [
    ['symptom', 'what verify sees', 'next command'],
    ...SYMPTOMS.map((s) => [s.title, s.signal, `\`${s.command}\``]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(rows[0]),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ];
}
