import { Command } from 'commander';
import { z } from 'zod';

import { filterLogs, taskLogStream } from '../lib/log-events';
import { jsonLogLine, type LogLine, renderLogLine } from '../lib/log-format';
import { type Runtime } from '../lib/runtime';
import { durationMs, parseOptions, resolveTarget, targetOptionsSchema } from '../lib/settings';
import { type CommandFactory, withTargetOptions } from './common';

export const DEFAULT_FOLLOW_INTERVAL_SECONDS = 2;

const optionsSchema = targetOptionsSchema.extend({
  since: durationMs.default(15 * 60_000),
  follow: z.boolean().default(false),
  filter: z.string().min(1).optional(),
  task: z
    .string()
    .regex(/^[a-f0-9]{32}$|^[\w-]{8,64}$/, { error: 'must be an ECS task id' })
    .optional(),
  json: z.boolean().default(false),
  interval: z.coerce.number().min(0.1).max(60).default(DEFAULT_FOLLOW_INTERVAL_SECONDS),
});

/**
 * CloudWatch filter syntax treats some characters specially; plain words are wrapped in quotes
 * so `--filter "connection refused"` matches the phrase. Patterns (`{ $.level = 50 }`, `[...]`,
 * `"..."`, `?a ?b`) pass through untouched.
 */
export function filterPattern(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return /^[{["?-]/.test(text.trim()) ? text : `"${text.replace(/"/g, '\\"')}"`;
}

export async function runLogs(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  const aws = runtime.aws(target);
  const print = (line: LogLine) =>
    runtime.io.out(options.json ? jsonLogLine(line) : renderLogLine(line));
  const query = {
    logGroupName: target.names.logGroup,
    filterPattern: filterPattern(options.filter),
    logStreamNames: options.task ? [taskLogStream(target.names, options.task)] : undefined,
  };

  let startTime = runtime.clock.now() - options.since;
  // Events printed at the newest timestamp seen; the next poll starts there again (CloudWatch
  // timestamps are milliseconds, and more events can arrive for the same millisecond).
  let printedAtEdge = new Set<string>();
  for (;;) {
    const lines = (await filterLogs(aws.logs, { ...query, startTime })).sort(
      (a, b) => a.timestamp - b.timestamp,
    );
    const fresh = lines.filter((l) => !printedAtEdge.has(keyOf(l)));
    fresh.forEach(print);
    if (lines.length) {
      const newest = lines[lines.length - 1].timestamp;
      const edge = lines.filter((l) => l.timestamp === newest).map(keyOf);
      printedAtEdge = newest === startTime ? new Set([...printedAtEdge, ...edge]) : new Set(edge);
      startTime = newest;
    }
    if (!options.follow || runtime.signal.aborted) return 0;
    await runtime.clock.sleep(options.interval * 1000, runtime.signal);
    if (runtime.signal.aborted) return 0;
  }
}

function keyOf(line: LogLine): string {
  return `${line.timestamp}\u0000${line.stream}\u0000${line.message}`;
}

export const logsCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('logs')
      .description('Print the service logs from CloudWatch (pino JSON rendered readably)')
      .option('--since <duration>', 'how far back: 30s, 15m, 2h, 1d', '15m')
      .option('-f, --follow', 'keep polling for new lines until Ctrl-C')
      .option('--filter <text>', 'only lines containing this text (or a CloudWatch filter pattern)')
      .option('--task <id>', "only this task's stream")
      .option(
        '--interval <seconds>',
        'poll interval with --follow',
        String(DEFAULT_FOLLOW_INTERVAL_SECONDS),
      )
      .option('--json', 'print raw events as JSON lines: {time, stream, taskId, message}'),
  ).action(async (opts) => setExitCode(await runLogs(opts, runtime)));
