import { type Task } from '@aws-sdk/client-ecs';
import { SAVED_QUERY_IDS } from '@prod-e/deployment';
import { Command } from 'commander';
import { z } from 'zod';

import { type AwsClients } from '../lib/aws';
import { OpsError } from '../lib/errors';
import { filterLogs, type LogQuery, taskLogStream } from '../lib/log-events';
import { jsonLogLine, type LogLine, renderLogLine } from '../lib/log-format';
import { pollUntil } from '../lib/poll';
import { type Runtime } from '../lib/runtime';
import { queryTable, QUERY_TIMEOUT_MS, runSavedQuery } from '../lib/saved-query';
import { listServiceTasks, taskIdOf } from '../lib/service-state';
import { renderTable } from '../lib/table';
import {
  durationMs,
  parseOptions,
  resolveTarget,
  type Target,
  targetOptionsSchema,
} from '../lib/settings';
import { type CommandFactory, withTargetOptions } from './common';

export const DEFAULT_FOLLOW_INTERVAL_SECONDS = 2;

/**
 * How late an event may reach CloudWatch and still be printed by `--follow`. The awslogs driver
 * batches each stream on its own (flushing every 5 s by default) and ingestion adds its delay, so
 * one stream's lines can land after another's newer ones. Each poll re-reads this window behind
 * the previous poll and drops events already printed, by event id.
 */
export const LATE_DELIVERY_WINDOW_MS = 60_000;

const optionsSchema = targetOptionsSchema.extend({
  since: durationMs.default(15 * 60_000),
  follow: z.boolean().default(false),
  filter: z.string().min(1).optional(),
  task: z
    .string()
    .regex(/^[a-f0-9]{8,32}$|^[\w-]{8,64}$/, {
      error: 'must be an ECS task id (or its first 8 or more characters)',
    })
    .optional(),
  previous: z.boolean().default(false),
  query: z.string().min(1).optional(),
  requestId: z.string().min(1).optional(),
  json: z.boolean().default(false),
  interval: z.coerce.number().min(0.1).max(60).default(DEFAULT_FOLLOW_INTERVAL_SECONDS),
});

type LogsOptions = z.output<typeof optionsSchema>;

/**
 * CloudWatch filter syntax treats some characters specially; plain words are wrapped in quotes
 * so `--filter "connection refused"` matches the phrase. Patterns (`{ $.level = 50 }`, `[...]`,
 * `"..."`, `?a ?b`) pass through untouched.
 */
export function filterPattern(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return /^[{["?-]/.test(text.trim()) ? text : `"${text.replace(/"/g, '\\"')}"`;
}

/** The stopped task whose log `--previous` shows: the newest to stop (the last crash). */
async function lastStoppedTask(aws: AwsClients, target: Target): Promise<Task> {
  const stopped = await listServiceTasks(aws.ecs, target.names, 'STOPPED');
  const newest = stopped.sort(
    (a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0),
  )[0];
  if (!newest) {
    throw new OpsError(
      'NOT_FOUND',
      `No stopped tasks of ${target.names.service} in cluster ${target.names.cluster} (${target.region}); ECS keeps them for about an hour.`,
      { suggestion: 'Drop --previous to read the running tasks’ logs.' },
    );
  }
  return newest;
}

function describeStopped(task: Task): string {
  const exit = task.containers?.find((c) => c.exitCode !== undefined)?.exitCode;
  const parts = [
    `Logs of task ${taskIdOf(task.taskArn ?? '')}, stopped ${task.stoppedAt?.toISOString() ?? '?'}`,
    `${task.stopCode ?? 'no stop code'}: ${task.stoppedReason ?? 'no reason given'}`,
  ];
  if (exit !== undefined) parts.push(`exit code ${exit}`);
  return `${parts.join('; ')}.`;
}

/** Which streams and from when: `--previous` reads the last stopped task from its start. */
async function baseQuery(
  aws: AwsClients,
  target: Target,
  options: LogsOptions,
  runtime: Runtime,
): Promise<LogQuery> {
  const query: LogQuery = {
    logGroupName: target.names.logGroup,
    filterPattern: filterPattern(options.filter),
    startTime: runtime.clock.now() - options.since,
  };
  if (options.previous) {
    const task = await lastStoppedTask(aws, target);
    runtime.io.err(describeStopped(task));
    const started = (task.startedAt ?? task.createdAt)?.getTime();
    return {
      ...query,
      logStreamNames: [taskLogStream(target.names, taskIdOf(task.taskArn ?? ''))],
      startTime: Math.min(query.startTime, started ?? query.startTime),
    };
  }
  if (!options.task) return query;
  const stream = taskLogStream(target.names, options.task);
  // A full id names one stream; a shorter one (as text lines print it) is a prefix.
  return options.task.length >= 32
    ? { ...query, logStreamNames: [stream] }
    : { ...query, logStreamNamePrefix: stream };
}

const keyOf = (line: LogLine) =>
  line.eventId ?? `${line.timestamp}\u0000${line.stream}\u0000${line.message}`;

/** `--query <id>`: a saved Logs Insights query over --since, as a table or JSON lines. */
async function runQuery(options: LogsOptions, target: Target, runtime: Runtime): Promise<number> {
  const clash = (['follow', 'filter', 'task', 'previous'] as const).filter((key) => options[key]);
  if (clash.length > 0) {
    throw new OpsError(
      'USAGE',
      `Invalid options: --query runs a saved query; ${clash.map((key) => `--${key}`).join(', ')} do not apply.`,
      { suggestion: 'Drop them, or drop --query to read the log events.' },
    );
  }
  const now = runtime.clock.now();
  const result = await runSavedQuery(runtime.aws(target).logs, runtime.clock, runtime.signal, {
    names: target.names,
    id: options.query as string,
    requestId: options.requestId,
    startTime: now - options.since,
    endTime: now,
    deadline: now + QUERY_TIMEOUT_MS,
  });
  if (options.json) {
    for (const row of result.rows) runtime.io.out(JSON.stringify(row));
  } else {
    const { headers, cells } = queryTable(result.rows);
    for (const line of headers.length ? renderTable(headers, cells) : []) runtime.io.out(line);
  }
  runtime.io.err(
    `${result.name}: ${result.rows.length} row(s), ${result.statistics.recordsScanned ?? 0} records scanned.`,
  );
  return 0;
}

export async function runLogs(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  if (options.previous && options.task) {
    throw new OpsError('USAGE', 'Invalid options: --previous and --task both pick the task.', {
      suggestion: 'Pass one of them.',
    });
  }
  const target = resolveTarget(options, runtime.env);
  if (options.query) return runQuery(options, target, runtime);
  const aws = runtime.aws(target);
  const print = (line: LogLine) =>
    runtime.io.out(options.json ? jsonLogLine(line) : renderLogLine(line, { task: true }));
  const query = await baseQuery(aws, target, options, runtime);
  const firstStart = query.startTime;
  // Event keys printed, with their timestamps, so the window can be re-read without repeats.
  const printed = new Map<string, number>();
  let windowStart = firstStart;

  const poll = async (): Promise<true | undefined> => {
    const askedAt = runtime.clock.now();
    const lines = await filterLogs(aws.logs, { ...query, startTime: windowStart });
    for (const line of lines.sort((a, b) => a.timestamp - b.timestamp)) {
      if (printed.has(keyOf(line))) continue;
      printed.set(keyOf(line), line.timestamp);
      print(line);
    }
    if (!options.follow) return true;
    windowStart = Math.max(firstStart, askedAt - LATE_DELIVERY_WINDOW_MS);
    for (const [key, timestamp] of printed) if (timestamp < windowStart) printed.delete(key);
    return undefined;
  };

  // Following never gives up on a transient error; a one-off read has the SDK's retries only.
  const outcome = await pollUntil(
    runtime.clock,
    runtime.signal,
    {
      deadline: options.follow ? Infinity : runtime.clock.now(),
      intervalMs: options.interval * 1000,
      onRetry: (error, pauseMs) =>
        runtime.io.err(`${error.message} Retrying in ${Math.ceil(pauseMs / 1000)} s...`),
    },
    poll,
  );
  if (outcome.kind === 'timeout' && outcome.lastError) throw outcome.lastError;
  return 0;
}

export const logsCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('logs')
      .description('Print the service logs from CloudWatch (pino JSON rendered readably)')
      .option('--since <duration>', 'how far back: 30s, 15m, 2h, 1d', '15m')
      .option('-f, --follow', 'keep polling for new lines until Ctrl-C')
      .option('--filter <text>', 'only lines containing this text (or a CloudWatch filter pattern)')
      .option('--task <id>', "only this task's stream (the full id or its first 8+ characters)")
      .option('--previous', 'the last stopped task’s log, from its start (crash loops)')
      .option(
        '--query <id>',
        `run a saved Logs Insights query over --since (${SAVED_QUERY_IDS.join(', ')})`,
      )
      .option('--request-id <id>', 'the request id for --query request-story')
      .option(
        '--interval <seconds>',
        'poll interval with --follow',
        String(DEFAULT_FOLLOW_INTERVAL_SECONDS),
      )
      .option('--json', 'print raw events as JSON lines: {time, stream, taskId, message}'),
  ).action(async (opts) => setExitCode(await runLogs(opts, runtime)));
