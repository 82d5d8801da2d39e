import { Command } from 'commander';
import { z } from 'zod';

import { ExitCode } from '../lib/errors';
import { jsonLogLine, renderLogLine } from '../lib/log-format';
import { runMigrationTask } from '../lib/migration';
import { type Runtime } from '../lib/runtime';
import { parseOptions, resolveTarget, targetOptionsSchema } from '../lib/settings';
import { parseTaskDefinitionRef } from '../lib/task-definitions';
import { type CommandFactory, printJson, withTargetOptions } from './common';

export const DEFAULT_MIGRATE_TIMEOUT_SECONDS = 900;
export const DEFAULT_MIGRATE_INTERVAL_SECONDS = 5;

const optionsSchema = targetOptionsSchema.extend({
  dryRun: z.boolean().default(false),
  taskDefinition: z
    .string()
    .refine((v) => parseTaskDefinitionRef(v) !== undefined, {
      error: 'must be a task definition ARN or family:revision',
    })
    .optional(),
  timeout: z.coerce.number().min(1).max(7200).default(DEFAULT_MIGRATE_TIMEOUT_SECONDS),
  // A zero interval would poll AWS as fast as it answers (and be throttled for it).
  interval: z.coerce.number().min(1).max(60).default(DEFAULT_MIGRATE_INTERVAL_SECONDS),
  json: z.boolean().default(false),
});

/**
 * Exit code: the migration container's own (0 when every migration applied), 1 when the task
 * failed to start or stopped without one. Terraform's local-exec fails the apply on non-zero.
 */
export async function runMigrate(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  // With --json, stdout carries only the result document; the task's log goes to stderr.
  const print = options.json ? runtime.io.err : runtime.io.out;
  const result = await runMigrationTask(runtime.aws(target), target.names, runtime, {
    taskDefinition: options.taskDefinition,
    dryRun: options.dryRun,
    timeoutMs: options.timeout * 1000,
    intervalMs: options.interval * 1000,
    onLog: (line) => print(options.json ? jsonLogLine(line) : renderLogLine(line)),
  });
  const exitCode = result.startFailure ? ExitCode.FAILED : (result.exitCode ?? ExitCode.FAILED);
  if (options.json) {
    printJson(runtime, {
      schemaVersion: 1,
      environment: target.environment,
      ...result,
      ok: exitCode === 0,
    });
  } else if (result.startFailure) {
    const task = result.taskId ? ` ${result.taskId}` : '';
    runtime.io.err(`Migration task${task} failed to start: ${result.startFailure}`);
  } else if (exitCode !== 0) {
    runtime.io.err(
      `Migrations failed: container exited with ${exitCode}${result.containerReason ? ` (${result.containerReason})` : ''}.`,
    );
  } else {
    runtime.io.out(
      `${options.dryRun ? 'Dry run finished' : 'Migrations applied'} with ${result.taskDefinition} (task ${result.taskId}).`,
    );
  }
  return exitCode;
}

export const migrateCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('migrate')
      .description("Run the API's database migrations as a one-off ECS task and wait for it")
      .option('--dry-run', 'only list pending migrations')
      .option(
        '--task-definition <arn>',
        'task definition ARN or family:revision (default: the newest migration task revision)',
      )
      .option(
        '--timeout <seconds>',
        'give up waiting after this long',
        String(DEFAULT_MIGRATE_TIMEOUT_SECONDS),
      )
      .option(
        '--interval <seconds>',
        'time between polls',
        String(DEFAULT_MIGRATE_INTERVAL_SECONDS),
      )
      .option('--json', 'print the result as JSON (log lines go to stderr)'),
  ).action(async (opts) => setExitCode(await runMigrate(opts, runtime)));
