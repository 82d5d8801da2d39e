import { Command } from 'commander';
import { z } from 'zod';

import { ExitCode, OpsError } from '../lib/errors';
import { type Runtime } from '../lib/runtime';
import { describeService } from '../lib/service-state';
import { parseOptions, resolveTarget, targetOptionsSchema } from '../lib/settings';
import {
  containerImage,
  describeTaskDefinitions,
  imageTagOf,
  listRevisions,
  requireRef,
  type TaskDefinitionRef,
  taskDefinitionLabel,
} from '../lib/task-definitions';
import { type CommandFactory, withTargetOptions } from './common';
import {
  DEFAULT_VERIFY_INTERVAL_SECONDS,
  DEFAULT_VERIFY_TIMEOUT_SECONDS,
  toVerifyOptions,
  verifyAndReport,
  waitOptionsSchema,
} from './verify';

const optionsSchema = targetOptionsSchema.extend(waitOptionsSchema.shape).extend({
  to: z.coerce.number().int().min(1).optional(),
  yes: z.boolean().default(false),
});

/** The revision to go back to: `--to`, else the newest ACTIVE revision older than the current. */
function chooseTarget(
  revisions: TaskDefinitionRef[],
  current: TaskDefinitionRef,
  to: number | undefined,
): TaskDefinitionRef {
  if (to !== undefined) {
    const chosen = revisions.find((r) => r.revision === to);
    if (!chosen) {
      throw new OpsError(
        'NOT_FOUND',
        `Revision ${current.family}:${to} is not an ACTIVE task definition revision.`,
        {
          suggestion: `ACTIVE revisions: ${revisions.map((r) => r.revision).join(', ') || 'none'}.`,
        },
      );
    }
    return chosen;
  }
  const previous = revisions.find((r) => r.revision < current.revision);
  if (!previous) {
    throw new OpsError(
      'NOT_FOUND',
      `There is no ACTIVE revision of ${current.family} older than ${current.revision} to roll back to.`,
      { suggestion: 'Pass --to <revision> to pick one explicitly.' },
    );
  }
  return previous;
}

export async function runRollback(raw: unknown, runtime: Runtime): Promise<number> {
  const options = parseOptions(optionsSchema, raw);
  const target = resolveTarget(options, runtime.env);
  const { names } = target;
  const aws = runtime.aws(target);
  const service = await describeService(aws.ecs, names, aws.region);
  const current = requireRef(service.taskDefinition, names.service);
  const revisions = await listRevisions(aws.ecs, current.family, 'ACTIVE');
  const chosen = chooseTarget(revisions, current, options.to);
  if (chosen.revision === current.revision) {
    runtime.io.err(`${names.service} already runs ${taskDefinitionLabel(current)}; nothing to do.`);
    return ExitCode.OK;
  }
  const chosenArn = chosen.arn ?? taskDefinitionLabel(chosen);
  const definitions = await describeTaskDefinitions(aws.ecs, [
    service.taskDefinition ?? '',
    chosenArn,
  ]);
  const image = (arn: string) => containerImage(definitions.get(arn), names.container);
  const from = image(service.taskDefinition ?? '');
  const to = image(chosenArn);

  // With --json, stdout carries only the verify document; the plan goes to stderr.
  const say = (line: string) => (options.json ? runtime.io.err(line) : runtime.io.out(line));
  say(`Rollback of ${names.service} (${target.environment}, ${target.region}):`);
  say(`  task definition  ${taskDefinitionLabel(current)} → ${taskDefinitionLabel(chosen)}`);
  say(`  image tag        ${imageTagOf(from) ?? '?'} → ${imageTagOf(to) ?? '?'}`);
  say('  Database migrations are not reverted: the older image must work with the newer schema.');

  if (!options.yes) {
    if (!runtime.io.interactive) {
      throw new OpsError(
        'USAGE',
        'Refusing to roll back without confirmation: no terminal to ask on.',
        { suggestion: 'Pass --yes to confirm non-interactively.' },
      );
    }
    if (!(await runtime.io.confirm('Roll back now?'))) {
      runtime.io.err('Rollback cancelled; nothing was changed.');
      return ExitCode.FAILED;
    }
  }

  const updated = await aws.ecs.updateService({
    cluster: names.cluster,
    service: names.service,
    taskDefinition: chosenArn,
  });
  const deployment = updated.service?.deployments?.find((d) => d.status === 'PRIMARY');
  say(
    `Service updated to ${taskDefinitionLabel(chosen)} (deployment ${deployment?.id ?? '?'}); verifying...`,
  );
  return verifyAndReport(
    aws,
    target,
    runtime,
    {
      ...toVerifyOptions(options),
      deploymentId: deployment?.id,
      expected: { family: chosen.family, revision: chosen.revision },
    },
    options.json,
  );
}

export const rollbackCommand: CommandFactory = (runtime, setExitCode) =>
  withTargetOptions(
    new Command('rollback')
      .description(
        'Move the service to the previous (or a given) task definition revision, then verify',
      )
      .option(
        '--to <revision>',
        'task definition revision to roll back to (default: previous ACTIVE)',
      )
      .option('-y, --yes', 'do not ask for confirmation')
      .option(
        '--timeout <seconds>',
        'verify: give up after this long',
        String(DEFAULT_VERIFY_TIMEOUT_SECONDS),
      )
      .option(
        '--interval <seconds>',
        'verify: time between polls',
        String(DEFAULT_VERIFY_INTERVAL_SECONDS),
      )
      .option(
        '--url <url>',
        "verify: the service's URL for /health (default: http:// + the ALB DNS name)",
      )
      .option('--ca <file>', 'verify: PEM CA certificate to trust for an https --url')
      .option('--json', 'print the verify result as JSON'),
  ).action(async (opts) => setExitCode(await runRollback(opts, runtime)));
